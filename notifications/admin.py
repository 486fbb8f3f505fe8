"""Moderators see every broadcast with the state of its deliveries, and every failed email."""

from django.contrib import admin
from django.db.models import Count, Q

from .models import Broadcast, Delivery, Digest, EmailPreference


def _count(status: str) -> Count:
    return Count("deliveries", filter=Q(deliveries__status=status))


@admin.register(Broadcast)
class BroadcastAdmin(admin.ModelAdmin):
    list_display = (
        "kind",
        "promise",
        "recipient",
        "created_at",
        "expanded_at",
        "pending",
        "sent",
        "skipped",
        "failed",
    )
    list_filter = ("kind", "created_at")
    search_fields = ("promise__action", "recipient__email")
    list_select_related = ("promise", "recipient")
    date_hierarchy = "created_at"
    readonly_fields = ("kind", "promise", "recipient", "created_at", "expanded_at")

    def get_queryset(self, request):
        # One query for the page: the four counts are computed in the listing's SQL.
        return (
            super()
            .get_queryset(request)
            .annotate(
                pending_count=_count(Delivery.Status.PENDING),
                sent_count=_count(Delivery.Status.SENT),
                skipped_count=_count(Delivery.Status.SKIPPED),
                failed_count=_count(Delivery.Status.FAILED),
            )
        )

    @admin.display(description="à envoyer", ordering="pending_count")
    def pending(self, broadcast) -> int:
        return broadcast.pending_count

    @admin.display(description="envoyés", ordering="sent_count")
    def sent(self, broadcast) -> int:
        return broadcast.sent_count

    @admin.display(description="non envoyés", ordering="skipped_count")
    def skipped(self, broadcast) -> int:
        return broadcast.skipped_count

    @admin.display(description="échecs", ordering="failed_count")
    def failed(self, broadcast) -> int:
        return broadcast.failed_count

    def has_add_permission(self, request) -> bool:
        return False  # Broadcasts are written by the lifecycle, never by hand.

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "recipient_email",
        "broadcast",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    list_filter = ("status", "broadcast__kind")
    search_fields = ("user__email", "last_error")
    list_select_related = ("user", "broadcast", "broadcast__promise")
    raw_id_fields = ("broadcast", "user")
    readonly_fields = (
        "broadcast",
        "user",
        "status",
        "attempts",
        "claimed_until",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "digest",
    )

    @admin.display(description="destinataire", ordering="user__email")
    def recipient_email(self, delivery) -> str:
        return delivery.user.email if delivery.user else "(compte supprimé)"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    """The daily and weekly digests (notifications.digests), with what they carry."""

    list_display = ("user", "cadence", "period_start", "status", "attempts", "sent_at", "items")
    list_filter = ("cadence", "status", "period_start")
    search_fields = ("user__email", "last_error")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = (
        "user",
        "cadence",
        "period_start",
        "period_end",
        "sources",
        "status",
        "attempts",
        "claimed_until",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "created_at",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(items_count=Count("deliveries"))

    @admin.display(description="envois rassemblés", ordering="items_count")
    def items(self, digest) -> int:
        return digest.items_count

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "topic", "cadence", "updated_at")
    readonly_fields = ("updated_at",)
    list_filter = ("topic", "cadence")
    search_fields = ("user__email",)
    list_select_related = ("user",)
    raw_id_fields = ("user",)
