"""A honeypot field for the forms bots like (sign-up, new promise): people never see it,
naive bots fill every field they find, and what they send is then silently dropped."""

from django import forms
from django.forms import BoundField

# A name bots are keen to fill.
HONEYPOT_NAME = "website"


class _HiddenBoundField(BoundField):
    def css_classes(self, extra_classes=None) -> str:
        # On crispy-forms' wrapper of the field: with display:none, the label and the input are
        # out of sight, out of the keyboard's reach and out of screen readers' (no inline style:
        # the CSP forbids it).
        return super().css_classes(["d-none", *(str(extra_classes or "").split())])


class HoneypotField(forms.CharField):
    bound_field_class = _HiddenBoundField

    def __init__(self):
        super().__init__(
            label="Ne pas remplir (laissez ce champ vide)",
            required=False,
            widget=forms.TextInput(
                attrs={"autocomplete": "off", "tabindex": "-1", "aria-hidden": "true"}
            ),
        )

    def clean(self, value) -> bool:
        """Filled or not; whatever a bot sends there (even a NUL byte) is never an error."""
        return bool(value)


def caught(form: forms.BaseForm) -> bool:
    """True when the submitted form's honeypot was filled: a bot."""
    return form.is_bound and bool(form.data.get(HONEYPOT_NAME))
