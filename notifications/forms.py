from django import forms

from .models import Topic


class PreferencesForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label="Je souhaite recevoir",
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les e-mails de votre compte (confirmation, mot de passe) sont toujours envoyés.",
    )
