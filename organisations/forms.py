"""The organisations' forms: they validate and normalise, the services act."""

import re

from django import forms

from onpromet.photos import PhotoField

from .models import Membership, Organisation
from .services import normalise_domain

# A domain name: labels of letters, digits and hyphens, a dot between them, at least two.
DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")

# Addresses anyone can open: such a domain never belongs to an organisation.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.fr",
        "live.fr",
        "live.com",
        "outlook.com",
        "outlook.fr",
        "msn.com",
        "yahoo.com",
        "yahoo.fr",
        "icloud.com",
        "me.com",
        "aol.com",
        "orange.fr",
        "wanadoo.fr",
        "free.fr",
        "sfr.fr",
        "neuf.fr",
        "laposte.net",
        "bbox.fr",
        "gmx.fr",
        "gmx.com",
        "proton.me",
        "protonmail.com",
    }
)


class OrganisationForm(forms.ModelForm):
    """Creating an organisation and its settings page. The logo goes through the photo
    pipeline (onpromet.photos); leaving it empty keeps the current one."""

    logo = PhotoField(
        label="Logo (facultatif)",
        help_text="JPEG, PNG ou WebP, 10 Mo au plus. Un logo carré s'affiche le mieux.",
    )

    website = forms.URLField(
        label="Site web (facultatif)",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Cette adresse de site web n'est pas valide."},
    )

    class Meta:
        model = Organisation
        fields = ["name", "kind", "description", "website", "email_domain"]
        labels = {
            "name": "Nom de l'organisation",
            "kind": "C'est…",
            "description": "Présentation (facultative)",
            "email_domain": "Domaine e-mail de l'entreprise (facultatif)",
        }
        help_texts = {
            "description": "Qui vous êtes, ce que vous faites, pourquoi vous agissez ensemble.",
            "email_domain": "Pour les entreprises : toute personne qui confirme une adresse "
            "sur ce domaine (par exemple acme.fr) peut rejoindre l'organisation. Il compte "
            "une fois que vous, admin, avez confirmé une adresse sur ce domaine dans votre "
            "compte.",
        }
        error_messages = {
            "name": {"required": "Donnez le nom de l'organisation."},
            "kind": {
                "required": "Dites si c'est une association, une entreprise ou une collectivité.",
                "invalid_choice": "Choisissez une association, une entreprise ou une collectivité.",
            },
        }
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "email_domain": forms.TextInput(attrs={"placeholder": "acme.fr"}),
        }

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Donnez le nom de l'organisation.")
        return name

    def clean_description(self) -> str:
        return self.cleaned_data["description"].strip()

    def clean_email_domain(self) -> str:
        domain = normalise_domain(self.cleaned_data["email_domain"])
        if "@" in domain:
            domain = domain.rsplit("@", 1)[-1]
        if not domain:
            return ""
        if not DOMAIN.match(domain):
            raise forms.ValidationError(
                "Ce domaine n'est pas valide : écrivez seulement ce qui suit le @, par exemple "
                "acme.fr."
            )
        if domain in PUBLIC_MAIL_DOMAINS:
            raise forms.ValidationError(
                f"Tout le monde peut ouvrir une adresse en @{domain} : ce domaine ne peut pas "
                "être celui d'une organisation."
            )
        taken = Organisation.objects.filter(email_domain=domain, domain_verified_at__isnull=False)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                "Ce domaine appartient déjà à une autre organisation sur OnPromet."
            )
        return domain

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("email_domain") and cleaned.get("kind") not in (
            None,
            Organisation.Kind.COMPANY,
        ):
            self.add_error(
                "email_domain",
                "Le domaine e-mail est réservé aux entreprises : laissez ce champ vide.",
            )
        return cleaned

    def service_fields(self) -> dict:
        """What organisation_create and organisation_update take."""
        data = self.cleaned_data
        return {name: data[name] for name in self.Meta.fields} | {"logo": data["logo"]}


class MemberInvitationForm(forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail de la personne à inviter",
        max_length=254,
        error_messages={
            "required": "Indiquez l'adresse e-mail de la personne à inviter.",
            "invalid": "Cette adresse e-mail n'est pas valide.",
        },
    )
    role = forms.ChoiceField(
        label="Son rôle",
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        error_messages={"invalid_choice": "Choisissez un rôle : admin, animateur ou membre."},
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Rôle",
        choices=Membership.Role.choices,
        error_messages={
            "required": "Choisissez un rôle.",
            "invalid_choice": "Choisissez un rôle : admin, animateur ou membre.",
        },
    )
