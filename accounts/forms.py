from allauth.core.exceptions import ImmediateHttpResponse
from django import forms
from django.shortcuts import redirect

from onpromet.honeypot import HONEYPOT_NAME, HoneypotField

from .models import User

DISPLAY_NAME_REQUIRED = "Indiquez un nom affiché."


def _normalise_display_name(value: str) -> str:
    """Collapse runs of spaces: "  Jean   Pierre " is shown as "Jean Pierre"."""
    name = " ".join(value.split())
    if not name:
        raise forms.ValidationError(DISPLAY_NAME_REQUIRED, code="required")
    return name


class SignupForm(forms.Form):
    """Extra fields of allauth's sign-up form (email and password come from allauth)."""

    display_name = forms.CharField(
        label="Nom affiché",
        max_length=60,
        help_text="Prénom ou pseudonyme, visible sur les promesses.",
        error_messages={"required": DISPLAY_NAME_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    appears_anonymously = forms.BooleanField(
        label="Apparaître comme « Anonyme » sur les promesses",
        required=False,
    )
    website = HoneypotField()

    field_order = ["display_name", "email", "password1", "password2", "appears_anonymously"]

    def clean_display_name(self) -> str:
        return _normalise_display_name(self.cleaned_data["display_name"])

    def clean_website(self) -> bool:
        if self.cleaned_data[HONEYPOT_NAME]:
            # A bot: answered as a sign-up that worked ("check your email"), whatever else it
            # sent, and nothing is created. allauth's middleware returns this response.
            raise ImmediateHttpResponse(redirect("account_email_verification_sent"))
        return False

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.appears_anonymously = self.cleaned_data["appears_anonymously"]
        user.save(update_fields=["display_name", "appears_anonymously"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "appears_anonymously"]
        error_messages = {"display_name": {"required": DISPLAY_NAME_REQUIRED}}

    def clean_display_name(self) -> str:
        return _normalise_display_name(self.cleaned_data["display_name"])
