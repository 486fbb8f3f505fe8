from django import forms

from . import kinds


class PreferencesForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label="Je souhaite recevoir",
        choices=kinds.topic_choices,  # the registered topics, in their order
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les e-mails de votre compte (confirmation, mot de passe) sont toujours envoyés.",
    )
