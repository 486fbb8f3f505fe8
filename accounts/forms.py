from django import forms

from .models import User


class SignupForm(forms.Form):
    """Extra fields of allauth's sign-up form (email and password come from allauth)."""

    display_name = forms.CharField(
        label="Nom affiché",
        max_length=60,
        help_text="Prénom ou pseudonyme, visible sur les promesses.",
    )
    appears_anonymously = forms.BooleanField(
        label="Apparaître comme « Anonyme » sur les promesses",
        required=False,
    )

    field_order = ["display_name", "email", "password1", "password2", "appears_anonymously"]

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError("Indiquez un nom affiché.")
        return name

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.appears_anonymously = self.cleaned_data["appears_anonymously"]
        user.save(update_fields=["display_name", "appears_anonymously"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "appears_anonymously"]

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError("Indiquez un nom affiché.")
        return name
