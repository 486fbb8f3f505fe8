import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.db import models
from django.urls import reverse_lazy
from django.utils import timezone

from onpromet.french import french_date
from onpromet.honeypot import HONEYPOT_NAME, HoneypotField
from onpromet.photos import PhotoField
from organisations.models import Membership, Organisation

from . import places, text
from .finder import Answers, Timing
from .models import Promise, Theme

DEADLINE_MAX_DAYS = 365


def end_of_day(day: datetime.date) -> datetime.datetime:
    """A deadline given as a day ends at 23:59:59 in the site's time zone (Europe/Paris)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def action_weekday_errors(
    *, start: datetime.date | None, end: datetime.date | None, weekday: int | None
) -> dict[str, str]:
    """What is wrong with an action on one day of each week, field by field (the site's forms
    and the admin's). Refused rather than saved with a warning: a first day on another weekday
    would make the page say "tous les mardis du jeudi 8 juillet" and the calendar start on a
    day that is not part of the rhythm, in every email and agenda, while the fix is one field
    of the form still open."""
    if weekday is None:
        return {}
    errors = {}
    if start is None:
        errors["action_date"] = "Indiquez la date de début de l'action."
    if end is None:
        errors["action_end_date"] = (
            "Une action chaque semaine a lieu sur une période : indiquez aussi sa fin."
        )
    if errors:
        return errors
    name = Promise.Weekday(weekday).label
    if start.weekday() != weekday:
        day = french_date(start, weekday=False)
        actual = Promise.Weekday(start.weekday()).label
        return {
            "action_weekday": f"Le {day} est un {actual}, pas un {name} : choisissez un "
            f"{name} comme premier jour, ou un autre jour de la semaine."
        }
    if end < start + datetime.timedelta(days=7):
        period = text.action_period(start, end)
        return {
            "action_end_date": f"{period[:1].upper()}{period[1:]}, il n'y a qu'un {name} : "
            "choisissez une fin au moins une semaine plus tard, ou aucun jour de la semaine."
        }
    return {}


def organisations_led(user) -> "models.QuerySet[Organisation]":
    """The organisations in whose name the user may launch a promise (animateur or admin of
    an active one: OrganisationAccess.can_launch), for the form's choice."""
    roles = [Membership.Role.ADMIN, Membership.Role.ANIMATEUR]
    return Organisation.objects.filter(
        is_active=True, memberships__user=user, memberships__role__in=roles
    ).order_by("name")


VISIBILITY_CHOICES = [
    (Promise.Visibility.PUBLIC, "Publique : tout le monde la voit, avec le nom de l'organisation"),
    (
        Promise.Visibility.MEMBERS,
        "Réservée aux membres : seuls les membres de l'organisation la voient et peuvent promettre",
    ),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PromiseForm(forms.ModelForm):
    deadline = forms.DateField(
        label="Date limite pour atteindre l'objectif",
        widget=DateInput(),
        help_text="Au plus tard dans un an. Si l'objectif n'est pas atteint à cette date, "
        "chacun est libéré de sa promesse.",
    )
    themes = forms.ModelMultipleChoiceField(
        label="Thèmes",
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un thème."},
    )
    action_weekday = forms.TypedChoiceField(
        label="Chaque semaine, le… (facultatif)",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Pas chaque semaine"), *Promise.Weekday.choices],
        help_text="Pour une action qui revient chaque semaine de la période : son premier "
        "jour tombe ce jour-là, et l'agenda la répète chaque semaine jusqu'à sa fin.",
    )
    # The place (promises/places.py): the commune typed in "city" is resolved on submit;
    # when several communes answer, `commune` becomes a list to pick from (clean()). Without
    # JavaScript that is all; with it, the field suggests communes as one types (htmx).
    commune = forms.CharField(label="Laquelle ?", required=False, widget=forms.HiddenInput)
    remote = forms.BooleanField(
        label="À distance (pas de lieu)",
        required=False,
        help_text="L'action se fait en ligne ou chacun chez soi : la promesse n'apparaît pas "
        "dans les recherches « Près de ».",
    )
    # The view drops what a bot sends (see onpromet.honeypot); never passed on to services.
    website = HoneypotField()
    # In an organisation's name (issue 15): offered only to who leads one (the view gives
    # `leads`, organisations_led()); services.promise_create checks the right again.
    organisation = forms.ModelChoiceField(
        label="Pour une organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Non, en mon nom",
        help_text="La promesse est lancée au nom de l'organisation : sa page la montre.",
        error_messages={
            "invalid_choice": "Vous ne pouvez pas lancer de promesse au nom de cette organisation."
        },
    )
    visibility = forms.ChoiceField(
        label="Qui la voit ?",
        choices=VISIBILITY_CHOICES,
        required=False,
        initial=Promise.Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Promise
        fields = [
            "action",
            "objective",
            "deadline",
            "action_date",
            "action_end_date",
            "action_weekday",
            "action_schedule",
            "description",
            "themes",
            "duration",
            "format",
            "city",
            "commune",
            "remote",
            "meeting_point",
        ]
        labels = {
            "action": "Je promets de…",
            "objective": "… si combien de personnes le promettent aussi ?",
            "action_date": "Date de l'action, ou de son début (facultative)",
            "action_end_date": "Fin de l'action (facultative, pour une action sur une période)",
            "action_schedule": "Horaire ou rythme, en quelques mots (facultatif)",
            "description": "Description",
            "city": "Commune",
            "duration": "Le temps que cela demande à chacun",
            "format": "Où l'action se passe",
        }
        help_texts = {
            "action": "Complétez la phrase, par exemple : « aller nettoyer la plage de "
            "Biscarosse le samedi 8 juillet ».",
            "objective": "Le nombre de personnes, vous non compris, qu'il faut pour agir "
            "(entre 1 et 1 000 000).",
            "action_schedule": "Par exemple « de 9 h à 12 h », ou « un samedi sur deux » pour "
            "un rythme qui n'est pas chaque semaine.",
            "description": "Le pourquoi, le comment, le lieu de rendez-vous… "
            "Les liens sont rendus cliquables.",
            "city": "Son nom ou son code postal, par exemple « Biscarrosse » ou « 40600 ».",
        }
        widgets = {
            "action": forms.TextInput(attrs={"data-sentence-action": ""}),
            "objective": forms.NumberInput(
                attrs={"min": 1, "max": Promise.OBJECTIVE_MAX, "data-sentence-objective": ""}
            ),
            "action_date": DateInput(),
            "action_end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
            "duration": forms.RadioSelect,
            "format": forms.RadioSelect,
            # Suggestions as one types: htmx fills the datalist (templates/promises/form.html)
            # from promises:communes.
            "city": forms.TextInput(
                attrs={
                    "autocomplete": "off",
                    "list": "commune-suggestions",
                    "hx-get": reverse_lazy("promises:communes"),
                    "hx-trigger": "input changed delay:250ms",
                    "hx-target": "#commune-suggestions",
                    "hx-sync": "this:replace",
                }
            ),
        }
        error_messages = {
            "action": {"required": "Complétez la phrase « Je promets de … »."},
            "objective": {"required": "Indiquez combien de personnes il faut."},
            "description": {"required": "Décrivez votre promesse."},
        }

    def __init__(self, *args, leads=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        # Only who leads an organisation is asked for which, and who sees the promise.
        leads = leads if leads is not None else Organisation.objects.none()
        if leads.exists():
            self.fields["organisation"].queryset = leads
        else:
            del self.fields["organisation"], self.fields["visibility"]
        self.fields["action"].widget.attrs.update(
            {"minlength": Promise.ACTION_MIN_LENGTH, "maxlength": Promise.ACTION_MAX_LENGTH}
        )
        if self.instance.pk:
            self.initial["deadline"] = timezone.localtime(self.instance.deadline).date()
        # Required unless "à distance": clean() says which.
        self.fields["city"].required = False
        # The time and the format have sensible defaults (half a day, on site): a form sent
        # without them (an old page, a script) keeps those.
        for name in ("duration", "format"):
            self.fields[name].required = False
        if self.instance.commune_id:
            self.initial["city"] = self.instance.commune.label
            self.initial["commune"] = self.instance.commune.insee
        elif self.instance.pk and places.is_remote(self.instance.city):
            self.initial["remote"] = True

    def clean_action(self) -> str:
        action = text.normalise_action(self.cleaned_data["action"])
        if len(action) < Promise.ACTION_MIN_LENGTH:
            raise forms.ValidationError(
                f"Décrivez l'action en au moins {Promise.ACTION_MIN_LENGTH} caractères."
            )
        if len(action) > Promise.ACTION_MAX_LENGTH:
            raise forms.ValidationError(
                f"Décrivez l'action en au plus {Promise.ACTION_MAX_LENGTH} caractères."
            )
        return action

    def clean_objective(self) -> int:
        objective = self.cleaned_data["objective"]
        if not 1 <= objective <= Promise.OBJECTIVE_MAX:
            raise forms.ValidationError(
                "L'objectif doit être compris entre 1 et 1 000 000 personnes."
            )
        return objective

    def clean_deadline(self) -> datetime.datetime:
        day = self.cleaned_data["deadline"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError("La date limite doit être dans le futur.")
        if day > today + datetime.timedelta(days=DEADLINE_MAX_DAYS):
            raise forms.ValidationError("La date limite doit être au plus tard dans un an.")
        return end_of_day(day)

    def clean_action_date(self) -> datetime.date | None:
        day = self.cleaned_data["action_date"]
        if day and day < timezone.localdate() and day != self.initial.get("action_date"):
            raise forms.ValidationError("La date de l'action ne peut pas être dans le passé.")
        return day

    def clean_action_schedule(self) -> str:
        return " ".join(self.cleaned_data["action_schedule"].split())

    def clean_description(self) -> str:
        description = self.cleaned_data["description"].strip()
        if not description:
            raise forms.ValidationError("Décrivez votre promesse.")
        return description

    def clean_city(self) -> str:
        return " ".join(self.cleaned_data["city"].split())

    def _clean_place(self, cleaned_data: dict) -> None:
        """The commune typed, or chosen from the candidates; "à distance" leaves it empty.
        Before the communes are loaded, the city is kept as typed (places.communes_loaded)."""
        typed = cleaned_data.get("city", "")
        remote = cleaned_data.pop("remote", False) or (typed and places.is_remote(typed))
        if remote or cleaned_data.get("format") == Promise.Format.REMOTE:
            # No place; and a promise without one is done remotely, for the finder too.
            cleaned_data.update(city=places.REMOTE_CITY, commune=None)
            if cleaned_data.get("format") == Promise.Format.ON_SITE:
                cleaned_data["format"] = Promise.Format.REMOTE
            return
        cleaned_data["commune"], chosen = None, cleaned_data.get("commune")
        if not typed:
            self.add_error("city", "Indiquez une ville, ou cochez « À distance ».")
            return
        found = places.candidates(typed)
        picked = next((c for c in found if c.insee == chosen), None)
        if picked is None and len(found) == 1:
            picked = found[0]
        if picked is not None:
            cleaned_data.update(city=picked.name, commune=picked)
        elif found:
            field = self.fields["commune"]
            field.widget = forms.RadioSelect(choices=[(c.insee, c.label) for c in found])
            field.required = True  # for the label's mark; the error below says the rest
            self.add_error(
                "commune",
                f"Plusieurs communes correspondent à « {typed} » : choisissez la vôtre.",
            )
        elif places.communes_loaded():
            self.add_error(
                "city",
                f"Aucune commune ne correspond à « {typed} » : vérifiez l'orthographe, ou "
                "indiquez le code postal.",
            )

    def _clean_organisation(self, cleaned_data: dict) -> None:
        if "organisation" not in self.fields:
            cleaned_data.pop("organisation", None)
            cleaned_data.pop("visibility", None)
            return
        visibility = cleaned_data.get("visibility") or Promise.Visibility.PUBLIC
        if visibility == Promise.Visibility.MEMBERS and not cleaned_data.get("organisation"):
            self.add_error(
                "visibility",
                "Une promesse réservée aux membres est lancée pour une organisation : "
                "choisissez laquelle.",
            )
        cleaned_data["visibility"] = visibility

    def clean(self) -> dict:
        cleaned_data = super().clean()
        cleaned_data.pop(HONEYPOT_NAME, None)
        self._clean_organisation(cleaned_data)
        for name in ("duration", "format"):
            if not cleaned_data.get(name):
                cleaned_data[name] = Promise._meta.get_field(name).default
        self._clean_place(cleaned_data)
        start, end = cleaned_data.get("action_date"), cleaned_data.get("action_end_date")
        if end and not start and "action_date" not in self.errors:
            self.add_error("action_date", "Indiquez aussi la date de début de l'action.")
        elif end and start and end < start:
            self.add_error("action_end_date", "La fin de l'action ne peut pas précéder son début.")
        if cleaned_data.get("action_schedule") and not start and "action_date" not in self.errors:
            self.add_error("action_date", "Indiquez la date de début de l'action.")
        # The dates must be right first: a weekday is judged against the period they give.
        if not {"action_date", "action_end_date", "action_weekday"} & self.errors.keys():
            errors = action_weekday_errors(
                start=start, end=end, weekday=cleaned_data.get("action_weekday")
            )
            for name, message in errors.items():
                self.add_error(name, message)
        return cleaned_data


class PromiseEditForm(PromiseForm):
    """The same form for an initiator; the terms of the commitment are locked once someone
    else has pledged."""

    LOCKABLE = ("action", "objective", "deadline")
    LOCKED = "Verrouillé : d'autres personnes ont déjà promis sur cette base."

    def __init__(self, *args, terms_locked: bool, may_set_visibility: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Only initiators edit: no bots to catch here.
        del self.fields[HONEYPOT_NAME]
        self.terms_locked = terms_locked
        if terms_locked:
            for name in self.LOCKABLE:
                self.fields[name].disabled = True
                self.fields[name].help_text = self.LOCKED
        # The organisation stays the one the promise was launched for. Who sees it is one of
        # its terms: those who pledged did so on a promise public, or kept among members (their
        # names are on the page). So it changes, by an animateur or admin of the organisation,
        # only while nobody else has pledged; then it is locked with the terms.
        self.fields.pop("organisation", None)
        self.fields.pop("visibility", None)
        if self.instance.organisation_id and may_set_visibility:
            self.fields["visibility"] = forms.ChoiceField(
                label="Qui la voit ?",
                choices=VISIBILITY_CHOICES,
                widget=forms.RadioSelect,
                initial=self.instance.visibility,
                disabled=terms_locked,
                help_text=self.LOCKED if terms_locked else "",
            )

    def _clean_organisation(self, cleaned_data: dict) -> None:
        if "visibility" not in self.fields or self.terms_locked:
            cleaned_data.pop("visibility", None)
        elif not cleaned_data.get("visibility"):
            cleaned_data["visibility"] = self.instance.visibility
        cleaned_data.pop("organisation", None)

    def clean_deadline(self):
        if self.terms_locked:
            return self.instance.deadline
        day = self.cleaned_data["deadline"]
        if timezone.localtime(self.instance.deadline).date() == day and day >= timezone.localdate():
            return self.instance.deadline
        return super().clean_deadline()


class AbandonForm(forms.Form):
    reason = forms.CharField(
        label="Pourquoi abandonnez-vous ? (facultatif)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Les initiateurs voient les raisons, sans votre nom.",
    )


class AnswersForm(forms.Form):
    """The finder's questions of time, format and when (promises/finder.py), asked by the
    finder and offered by /promesses/ too: one builder, the same filters."""

    duree = forms.MultipleChoiceField(
        label="Le temps que vous avez",
        required=False,
        choices=Promise.Duration.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    format = forms.MultipleChoiceField(
        label="Comment",
        required=False,
        choices=Promise.Format.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    quand = forms.ChoiceField(
        label="Quand",
        required=False,
        choices=Timing.CHOICES,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    def answer_fields(self) -> list:
        return [self[name] for name in ("duree", "format", "quand")]

    def answers(self, themes=()) -> Answers:
        """The answers of a valid form."""
        data = self.cleaned_data
        return Answers(
            themes=tuple(themes),
            durations=tuple(data["duree"]),
            formats=tuple(data["format"]),
            when=data["quand"],
        )


class NearForm(forms.Form):
    """Près de chez moi (promises/places.py), asked by /promesses/ and by the finder: a
    commune, or the browser's position (the hidden fields, filled by static/js/near.js,
    rounded to about a kilometre); the position is only a parameter of the query, never
    stored."""

    pres = forms.CharField(
        label="Près de",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "commune ou code postal"}),
    )
    rayon = forms.TypedChoiceField(
        label="Rayon",
        required=False,
        coerce=int,
        empty_value=places.DEFAULT_RADIUS_KM,
        choices=[(km, f"{km} km") for km in places.RADII_KM],
        initial=places.DEFAULT_RADIUS_KM,
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)

    def clean(self) -> dict:
        """near: (latitude, longitude, km), from the commune typed, else from the position;
        near_place: what the list says it is near ("Biscarrosse", or None for a position)."""
        cleaned_data = super().clean()
        cleaned_data["near"], cleaned_data["near_place"] = None, None
        typed, km = cleaned_data.get("pres"), cleaned_data.get("rayon", places.DEFAULT_RADIUS_KM)
        if typed:
            found = [c for c in places.candidates(typed) if c.latitude is not None]
            if not found:
                self.add_error("pres", f"Aucune commune ne correspond à « {typed} ».")
                return cleaned_data
            cleaned_data["near"] = (found[0].latitude, found[0].longitude, km)
            cleaned_data["near_place"] = found[0]
        elif cleaned_data.get("lat") is not None and cleaned_data.get("lon") is not None:
            latitude, longitude = round(cleaned_data["lat"], 2), round(cleaned_data["lon"], 2)
            cleaned_data["near"] = (latitude, longitude, km)
        return cleaned_data


class SearchForm(NearForm, AnswersForm):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=100,
        error_messages={
            "max_length": "Votre recherche est trop longue : %(limit_value)d caractères au plus."
        },
    )
    etat = forms.ChoiceField(
        label="État",
        required=False,
        choices=[("", "Tous les états"), *Promise.State.choices],
    )
    theme = forms.ModelChoiceField(
        label="Thème",
        required=False,
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label="Tous les thèmes",
    )
    tri = forms.ChoiceField(
        label="Trier par",
        required=False,
        # Pertinence first: a search typed without touching the select is ranked by
        # relevance; without a search every promise is as relevant, the newest come first.
        choices=[
            ("", "Pertinence"),
            ("recentes", "Plus récentes"),
            ("proches", "Proches de l'objectif"),
            ("echeance", "Échéance la plus proche"),
        ],
    )


# --- Leading the promise: co-initiators, news, the bilan ------------------------------------


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail de la personne à inviter",
        max_length=254,
        help_text="Elle recevra un lien pour devenir initiatrice ou initiateur avec vous.",
        error_messages={
            "required": "Indiquez l'adresse e-mail de la personne à inviter.",
            "invalid": "Cette adresse e-mail n'est pas valide.",
        },
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class UpdateForm(forms.Form):
    text = forms.CharField(
        label="Votre nouvelle",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Écrivez votre nouvelle."},
    )
    photo = PhotoField()


class RecapForm(forms.Form):
    """The bilan's text; the figures beside it are computed by the platform."""

    TEXT_MAX_LENGTH = 20_000

    text = forms.CharField(
        label="Votre bilan",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Ce qui a été fait, ce que vous retenez, un merci aux participants… Les "
        "chiffres (participants, photos, abandons) et la courbe des promesses sont ajoutés "
        "automatiquement. Les liens sont rendus cliquables.",
        error_messages={"required": "Écrivez le bilan."},
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Écrivez le bilan.")
        return text


# --- The action finder (/agir/) --------------------------------------------------------------


class FinderForm(NearForm, AnswersForm):
    """The finder's questions (promises/finder.py), read from the URL: every answer is a link
    to share. Each is optional; none answered, the page only asks."""

    theme = forms.ModelMultipleChoiceField(
        label="Ce qui vous tient à cœur",
        required=False,
        queryset=Theme.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def questions(self) -> list:
        """The questions asked as choices, in order; "Où ?" (NearForm's fields) comes last."""
        return [self[name] for name in ("theme", "duree", "format", "quand")]
