from django import forms

from .images import MAX_BYTES, process_photo
from .models import Comment, Post, Report

# CharField strips whitespace: a text of spaces is empty, and "required" says so in French.


class PostForm(forms.Form):
    text = forms.CharField(
        label="Votre message",
        required=False,
        max_length=Post.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = forms.FileField(
        label="Une photo (facultative)",
        required=False,
        help_text="JPEG, PNG ou WebP, 10 Mo au plus. Les informations cachées de la photo "
        "(position GPS, appareil) sont effacées.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def clean_photo(self):
        upload = self.cleaned_data["photo"]
        if not upload:
            return None
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("La photo est trop lourde : 10 Mo au maximum.")
        return process_photo(upload)

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("text") and not data.get("photo"):
            raise forms.ValidationError("Écrivez un message ou ajoutez une photo.")
        return data


class PostEditForm(forms.Form):
    text = forms.CharField(
        label="Votre message",
        max_length=Post.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Le message ne peut pas être vide."},
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Votre réponse",
        max_length=Comment.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Écrivez votre réponse."},
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="Pourquoi signalez-vous ce contenu ?",
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une raison."},
    )
    details = forms.CharField(
        label="Précisions (facultatives)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
