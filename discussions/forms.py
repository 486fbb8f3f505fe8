from django import forms

from onpromet.photos import PhotoField

from .models import Comment, Post, Report

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


class KeepForm(forms.Form):
    """J'ai tenu ma promesse, with an optional word and photo that become a post."""

    comment = forms.CharField(
        label="Un mot sur ce que vous avez fait (facultatif)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Avec une photo, il sera publié dans la discussion de la promesse.",
    )
    photo = PhotoField()
