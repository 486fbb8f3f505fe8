from django import forms

from .images import process_photo
from .models import Comment, Post, Report


class PhotoField(forms.FileField):
    """An optional photo, checked and re-encoded (discussions.images): it cleans to a
    ProcessedPhoto, or None. Used by every form that takes a photo."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Une photo (facultative)")
        kwargs.setdefault(
            "help_text",
            "JPEG, PNG ou WebP, 10 Mo au plus. Les informations cachées de la photo "
            "(position GPS, appareil) sont effacées.",
        )
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(required=False, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return process_photo(upload) if upload else None


# CharField strips whitespace: a text of spaces is empty, and "required" says so in French.


class PostForm(forms.Form):
    text = forms.CharField(
        label="Votre message",
        required=False,
        max_length=Post.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = PhotoField()

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
