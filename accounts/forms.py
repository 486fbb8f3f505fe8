from allauth.core.exceptions import ImmediateHttpResponse
from django import forms
from django.contrib.auth import password_validation
from django.shortcuts import redirect

from onpromet.honeypot import HONEYPOT_NAME, HoneypotField

from .models import User

DISPLAY_NAME_REQUIRED = "Indiquez un nom affiché."
EMAIL_LABEL = "Adresse e-mail"
EMAIL_INVALID = "Saisissez une adresse e-mail valide."


def password_help() -> str:
    """The password rules in one short line under the field, rather than allauth's list of the
    four validators' texts before anyone types; a password that breaks one is still refused
    after submit, with the validator's own message."""
    lengths = [
        validator.min_length
        for validator in password_validation.get_default_password_validators()
        if isinstance(validator, password_validation.MinimumLengthValidator)
    ]
    at_least = f"Au moins {max(lengths)} caractères. " if lengths else ""
    return f"{at_least}Évitez les mots de passe courants, les chiffres seuls et votre nom."


def allauth_field_words() -> dict[str, dict[str, str]]:
    """The site's words for the fields of allauth's forms (log-in, sign-up, password reset and
    change…), by field name; accounts/templatetags/account_forms.py puts them on a form where
    every allauth page renders its form (allauth/elements/fields.html).

    allauth labels its email fields "Email", which django.contrib.auth's catalog (first in
    INSTALLED_APPS) translates "Courriel" where the rest of the site says "e-mail"; its password
    fields (password1 in every form that sets one) carry the validators' list as help text."""
    return {
        "email": {"label": EMAIL_LABEL},
        "login": {"label": EMAIL_LABEL},  # the log-in form's field: we log in by email only
        "password1": {"help_text": password_help()},
    }


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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # allauth declares the email field on its form, a subclass of this one, so it is here
        # already; its label is set later by allauth (see allauth_field_words).
        if "email" in self.fields:
            self.fields["email"].error_messages["invalid"] = EMAIL_INVALID

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


class AccountDeleteForm(forms.Form):
    """Supprimer mon compte: the password, so that a session left open is not enough."""

    password = forms.CharField(
        label="Votre mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Saisissez votre mot de passe pour confirmer."},
    )

    def __init__(self, user: User, *args, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "Ce mot de passe n'est pas le bon : votre compte n'a pas été supprimé.",
                code="password_incorrect",
            )
        return password
