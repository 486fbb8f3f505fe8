"""Moderation of organisations, with the limits it has for people: moderators verify,
deactivate, hide and re-show an organisation, revoke its email domain and remove a member
(through the service, so that their pledges follow the rules); what the organisation's admins
manage (members' roles, invitations, the join link) they manage on the site."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.utils import timezone

from . import services
from .models import Invitation, Membership, Organisation


def _said(count: int, one: str, many: str) -> str:
    return f"{count} {one if count <= 1 else many}."


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "via", "joined_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "verified",
        "is_active",
        "is_hidden",
        "email_domain",
        "domain_proven",
        "member_total",
        "created_at",
    )
    list_filter = ("kind", "is_active", "is_hidden", ("verified_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "slug", "email_domain")
    fields = (
        "name",
        "slug",
        "kind",
        "description",
        "website",
        "logo",
        "email_domain",
        "domain_verified_at",
        "domain_revoked_at",
        "verified_at",
        "is_active",
        "is_hidden",
        "hidden_at",
        "created_by",
        "created_at",
    )
    # The domain, the verification and the hiding change through the actions only (with their
    # date); the slug is in every shared link.
    readonly_fields = (
        "slug",
        "email_domain",
        "domain_verified_at",
        "domain_revoked_at",
        "verified_at",
        "is_hidden",
        "hidden_at",
        "created_by",
        "created_at",
    )
    inlines = [MembershipInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ("verify", "unverify", "deactivate", "reactivate", "hide", "unhide", "revoke_domain")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("memberships"))

    @admin.display(description="vérifiée", boolean=True, ordering="verified_at")
    def verified(self, organisation) -> bool:
        return organisation.is_verified

    @admin.display(description="domaine prouvé", boolean=True, ordering="domain_verified_at")
    def domain_proven(self, organisation) -> bool:
        return organisation.domain_verified_at is not None

    @admin.display(description="membres", ordering="member_total")
    def member_total(self, organisation) -> int:
        return organisation.member_total

    def has_add_permission(self, request) -> bool:
        return False  # created on the site, by the person who becomes its first admin

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deactivated instead: its promises and figures stay true

    @admin.action(description="Marquer comme vérifiée", permissions=["change"])
    def verify(self, request, queryset):
        count = queryset.filter(verified_at__isnull=True).update(verified_at=timezone.now())
        self.message_user(request, _said(count, "organisation vérifiée", "organisations vérifiées"))

    @admin.action(description="Retirer la vérification", permissions=["change"])
    def unverify(self, request, queryset):
        count = queryset.exclude(verified_at__isnull=True).update(verified_at=None)
        self.message_user(request, _said(count, "vérification retirée", "vérifications retirées"))

    @admin.action(description="Désactiver", permissions=["change"])
    def deactivate(self, request, queryset):
        count = queryset.filter(is_active=True).update(is_active=False)
        self.message_user(
            request, _said(count, "organisation désactivée", "organisations désactivées")
        )

    @admin.action(description="Réactiver", permissions=["change"])
    def reactivate(self, request, queryset):
        count = queryset.filter(is_active=False).update(is_active=True)
        self.message_user(
            request, _said(count, "organisation réactivée", "organisations réactivées")
        )

    @admin.action(description="Masquer", permissions=["change"])
    def hide(self, request, queryset):
        for organisation in queryset.filter(is_hidden=False):
            services.organisation_set_hidden(organisation=organisation, hidden=True)
        self.message_user(request, "Organisations masquées.")

    @admin.action(description="Réafficher", permissions=["change"])
    def unhide(self, request, queryset):
        for organisation in queryset.filter(is_hidden=True):
            services.organisation_set_hidden(organisation=organisation, hidden=False)
        self.message_user(request, "Organisations réaffichées.")

    @admin.action(description="Révoquer le domaine e-mail", permissions=["change"])
    def revoke_domain(self, request, queryset):
        count = 0
        for organisation in queryset.exclude(domain_verified_at__isnull=True):
            services.domain_revoke(organisation=organisation)
            count += 1
        self.message_user(request, _said(count, "domaine révoqué", "domaines révoqués"))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "via", "joined_at")
    list_filter = ("role", "via")
    search_fields = ("user__email", "user__display_name", "organisation__name")
    list_select_related = ("user", "organisation")
    readonly_fields = ("organisation", "user", "role", "via", "joined_at")
    actions = ("remove",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # roles are the organisation's admins' to give

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # removed through the action: the pledges follow the rules

    @admin.action(description="Retirer de l'organisation", permissions=["view"])
    def remove(self, request, queryset):
        if not request.user.has_perm("organisations.change_membership"):
            self.message_user(request, "Vous ne pouvez pas retirer de membre.", messages.ERROR)
            return
        count = 0
        for membership in queryset.select_related("organisation", "user"):
            services.member_leave(
                organisation=membership.organisation, user=membership.user, forced=True
            )
            count += 1
        self.message_user(request, _said(count, "membre retiré", "membres retirés"))


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organisation", "role", "invited_by", "created_at", "accepted_at")
    list_filter = ("role", ("accepted_at", admin.EmptyFieldListFilter))
    search_fields = ("email", "organisation__name")
    list_select_related = ("organisation", "invited_by")
    readonly_fields = (
        "organisation",
        "email",
        "role",
        "invited_by",
        "created_at",
        "accepted_at",
        "accepted_by",
    )
    exclude = ("token",)  # the credential: never shown

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
