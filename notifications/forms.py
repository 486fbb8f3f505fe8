from django import forms

from . import kinds


class PreferencesForm(forms.Form):
    """One choice per registered topic, in their order: each time, a daily or weekly digest,
    or never, as far as the topic allows."""

    def __init__(self, *args, cadences: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for topic in kinds.topics():
            self.fields[topic.key] = forms.ChoiceField(
                label=topic.label,
                choices=topic.cadence_choices(),
                initial=cadences[topic.key],
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    def topic_rows(self) -> list[tuple[kinds.Topic, forms.BoundField]]:
        return [(topic, self[topic.key]) for topic in kinds.topics()]
