"""The moderators' admin. Counters, states and pledges change on the site, through the services;
here a moderator reads, hides and re-shows, and corrects the wording of a promise."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import Truncator

from . import places, services
from .commitments import commitment_withdraw_by_moderation
from .forms import action_weekday_errors
from .models import Commitment, Commune, Pledge, Promise, Theme

# The fields that define the commitment: fixed once someone other than the initiators pledged.
TERMS_FIELDS = ("action", "objective", "deadline")


def _promises(count: int, participle: str) -> str:
    """« 1 promesse masquée. », « 3 promesses masquées. » (French singular for 0 and 1)."""
    if count > 1:
        return f"{count} promesses {participle}s."
    return f"{count} promesse {participle}."


def _pledges_url(promise: Promise) -> str:
    query = urlencode({"promise__id__exact": promise.pk})
    return f"{reverse('admin:promises_pledge_changelist')}?{query}"


class ReadOnly:
    """Shown to moderators, never written by them: what the site's services (pledges) or a
    loader (communes) keep."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("icon", "name", "slug", "promise_total")
    list_display_links = ("name",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(promise_total=Count("promises"))

    @admin.display(description="promesses", ordering="promise_total")
    def promise_total(self, theme: Theme) -> int:
        return theme.promise_total


class UnmatchedCommuneFilter(admin.SimpleListFilter):
    """Promises whose city text names no commune of the list (load_communes could not match
    it): a moderator picks the commune by hand, or leaves it "à distance"."""

    title = "commune"
    parameter_name = "commune"

    def lookups(self, request, model_admin):
        return [("non-reconnue", "Commune : non reconnue"), ("a-distance", "À distance")]

    def queryset(self, request, queryset):
        if self.value() == "non-reconnue":
            return places.unmatched(queryset)
        if self.value() == "a-distance":
            return places.remote(queryset)
        return queryset


@admin.register(Commune)
class CommuneAdmin(ReadOnly, admin.ModelAdmin):
    """Read only: load_communes keeps the list as the official one; here to look one up (the
    promise's commune field opens this list)."""

    list_display = ("name", "insee", "departement", "population")
    search_fields = ("name", "insee")


class PromiseAdminForm(forms.ModelForm):
    def clean(self) -> dict:
        cleaned_data = super().clean()
        # The site's rule for an action on one day of each week (promises.forms), once the
        # dates themselves are valid.
        if not {"action_date", "action_end_date", "action_weekday"} & self.errors.keys():
            errors = action_weekday_errors(
                start=cleaned_data.get("action_date"),
                end=cleaned_data.get("action_end_date"),
                weekday=cleaned_data.get("action_weekday"),
            )
            for name, message in errors.items():
                self.add_error(name, message)
        return cleaned_data


# What the platform records of a promise's life: shown to moderators, never typed by them.
TRACKING_FIELDS = (
    "slug",
    "state",
    "pledge_count",
    "pledges_link",
    "created_by",
    "created_at",
    "updated_at",
    "reached_at",
    "failed_at",
    "cancelled_at",
)


@admin.register(Promise)
class PromiseAdmin(admin.ModelAdmin):
    form = PromiseAdminForm
    list_display = (
        "short_action",
        "state",
        "progress",
        "deadline",
        "created_by",
        "created_at",
        "is_hidden",
    )
    list_filter = ("state", "is_hidden", UnmatchedCommuneFilter, "themes", "created_at")
    search_fields = ("action", "description", "city", "created_by__email")
    raw_id_fields = ("commune",)
    list_select_related = ("created_by",)
    date_hierarchy = "created_at"
    # Plain, labelled widgets: Django's select2 search box and split date/time inputs have no
    # labels (accessibility gate), and a few themes fit in checkboxes.
    formfield_overrides = {
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
        models.DateTimeField: {
            "form_class": forms.DateTimeField,
            "widget": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        },
    }
    actions = ("hide", "unhide")
    fieldsets = (
        (
            "Promesse",
            {
                "fields": (
                    "action",
                    "objective",
                    "deadline",
                    "action_date",
                    "action_end_date",
                    "action_weekday",
                    "action_schedule",
                    "city",
                    "commune",
                    "meeting_point",
                    "description",
                    "themes",
                )
            },
        ),
        ("Suivi", {"fields": TRACKING_FIELDS}),
        ("Modération", {"fields": ("is_hidden", "hidden_at")}),
    )
    # State, counter and visibility move only through the services (the lifecycle and the
    # actions below), never by hand.
    readonly_fields = (*TRACKING_FIELDS, "is_hidden", "hidden_at")

    @admin.display(description="promesse", ordering="action")
    def short_action(self, promise: Promise) -> str:
        return Truncator(promise.action).chars(60)

    @admin.display(description="promesses / objectif", ordering="pledge_count")
    def progress(self, promise: Promise) -> str:
        return format_html(
            '<a href="{}">{} / {}</a>',
            _pledges_url(promise),
            promise.pledge_count,
            promise.objective,
        )

    @admin.display(description="participants")
    def pledges_link(self, promise: Promise) -> str:
        return format_html('<a href="{}">Voir les participants</a>', _pledges_url(promise))

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.terms_locked():
            return (*fields, *TERMS_FIELDS)
        return fields

    def has_add_permission(self, request) -> bool:
        # A promise is started on the site by its initiator, who becomes its first participant.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting would erase the participants' commitments; moderators hide instead.
        return False

    def save_model(self, request, obj, form, change) -> None:
        services.promise_update(promise=obj, data=form.cleaned_data)

    def save_related(self, request, form, formsets, change) -> None:
        # The themes were saved by the service in save_model.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(description="Masquer", permissions=["change"])
    def hide(self, request, queryset) -> None:
        promises = list(queryset.filter(is_hidden=False))
        for promise in promises:
            services.promise_set_hidden(promise=promise, hidden=True)
        self.message_user(request, _promises(len(promises), "masquée"), messages.SUCCESS)

    @admin.action(description="Réafficher", permissions=["change"])
    def unhide(self, request, queryset) -> None:
        promises = list(queryset.filter(is_hidden=True))
        for promise in promises:
            services.promise_set_hidden(promise=promise, hidden=False)
        self.message_user(request, _promises(len(promises), "réaffichée"), messages.SUCCESS)


@admin.register(Pledge)
class PledgeAdmin(ReadOnly, admin.ModelAdmin):
    """Read only: pledges are made, withdrawn and abandoned on the site, where the services keep
    the promise's counter equal to its pledges."""

    list_display = (
        "user_email",
        "promise_action",
        "status",
        "is_initiator",
        "created_at",
        "activated_at",
        "abandoned_at",
    )
    list_filter = ("status", "is_initiator", "source")
    search_fields = ("user__email", "promise__action")
    list_select_related = ("user", "promise")
    raw_id_fields = ("promise", "user")
    date_hierarchy = "created_at"
    readonly_fields = (
        "promise",
        "user",
        "is_initiator",
        "status",
        "created_at",
        "activated_at",
        "withdrawn_at",
        "abandoned_at",
        "abandon_reason",
        "source",
        "referred_by",
    )

    @admin.display(description="participant", ordering="user__email")
    def user_email(self, pledge: Pledge) -> str:
        return pledge.user.email

    @admin.display(description="promesse", ordering="promise__action")
    def promise_action(self, pledge: Pledge) -> str:
        return Truncator(pledge.promise.action).chars(60)


@admin.register(Commitment)
class CommitmentAdmin(ReadOnly, admin.ModelAdmin):
    """Sponsors' commitments: proposed by an organisation's admin, decided by the initiators, on
    the site. Moderators read them and take back an abusive one."""

    list_display = ("organisation", "promise", "text", "state", "proposed_at", "decided_at")
    list_filter = ("state",)
    search_fields = ("text", "organisation__name", "promise__action")
    list_select_related = ("organisation", "promise")
    actions = ("withdraw",)

    @admin.action(description="Retirer l'engagement (modération)", permissions=["view"])
    def withdraw(self, request, queryset):
        if not request.user.has_perm("promises.change_commitment"):
            self.message_user(request, "Vous ne pouvez pas retirer d'engagement.", messages.ERROR)
            return
        count = sum(commitment_withdraw_by_moderation(commitment=c) for c in queryset)
        self.message_user(
            request,
            f"{count} engagement{'s' if count > 1 else ''} retiré{'s' if count > 1 else ''}.",
        )
