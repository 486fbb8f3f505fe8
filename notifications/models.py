from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from . import kinds


class Broadcast(models.Model):
    """One email sent to many people (or to one, for a welcome), expanded into Deliveries by a
    Celery task. Created in the transaction of the event that causes it: nothing is lost. Its
    kind is an entry of the registry (notifications.kinds), registered by the app it is about;
    the foreign keys say what it is about, for the kinds that need them."""

    kind = models.CharField("type", max_length=20, choices=kinds.kind_choices)
    promise = models.ForeignKey(
        "promises.Promise", on_delete=models.CASCADE, related_name="broadcasts"
    )
    # Set for an email meant for one person only (the welcome of a late joiner).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="destinataire unique",
    )
    # What the email is about, for the kinds that need it. Named by string, as the promise:
    # the outbox imports nothing of the apps above it.
    post = models.ForeignKey(
        "discussions.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        "discussions.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    update = models.ForeignKey(
        "promises.Update", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Copied from the kind's entry when the broadcast is written, for the constraint below.
    once_per_promise = models.BooleanField("une fois par promesse", default=False)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    expanded_at = models.DateTimeField("destinataires calculés le", null=True, blank=True)

    class Meta:
        verbose_name = "envoi groupé"
        verbose_name_plural = "envois groupés"
        constraints = [
            # An event that happens once per promise (reached, failed, a reminder… as the
            # registry says) writes one broadcast: a beat task that runs twice, or two at
            # once, writes one row.
            models.UniqueConstraint(
                fields=["promise", "kind"],
                condition=Q(once_per_promise=True),
                name="broadcast_once_per_promise",
            ),
        ]
        indexes = [
            # The sweep: broadcasts not yet expanded.
            models.Index(
                fields=["created_at"],
                condition=Q(expanded_at__isnull=True),
                name="broadcast_unexpanded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.promise_id}"


class Sending(models.Model):
    """What the outbox keeps of each email it sends, a delivery or a digest: claimed by a worker
    with a lease, retried with a growing delay, marked sent as soon as the SMTP server accepts
    it (notifications.services: claim, failed, mark)."""

    attempts = models.PositiveSmallIntegerField(default=0)
    # A worker holds it until this time; after it, another may take it over.
    claimed_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        abstract = True


class Delivery(Sending):
    """One recipient of a broadcast."""

    class Status(models.TextChoices):
        PENDING = "pending", "à envoyer"
        SENT = "sent", "envoyé"
        SKIPPED = "skipped", "non envoyé (plus concerné)"
        FAILED = "failed", "échec"
        # The person takes this topic as a daily or weekly digest: the delivery waits for it
        # (Delivery.digest once a digest takes it; sent or skipped with it).
        HELD = "held", "attend le résumé"

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="deliveries")
    # SET_NULL: a delivery to an account deleted meanwhile stays, and is skipped.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="deliveries",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    digest = models.ForeignKey(
        "Digest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name="résumé",
    )

    class Meta:
        verbose_name = "envoi"
        verbose_name_plural = "envois"
        constraints = [
            # Expanding a broadcast twice never gives anyone a second copy.
            models.UniqueConstraint(fields=["broadcast", "user"], name="delivery_once_per_user"),
        ]
        indexes = [
            # The claim query: pending deliveries of a broadcast, in id order.
            models.Index(
                fields=["broadcast", "id"],
                condition=Q(status="pending"),
                name="delivery_pending",
            ),
            # A digest's build: each person's deliveries still waiting for one.
            models.Index(
                fields=["user", "id"],
                condition=Q(status="held", digest__isnull=True),
                name="delivery_held",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.broadcast} → {self.user_id} ({self.status})"


class Digest(Sending):
    """One email gathering, for one person, what their daily or weekly topics brought during a
    period (notifications.digests): the deliveries it took, and what the sources found
    (`sources`, by source key). One row per person, cadence and period, whatever the number of
    beat runs; claimed and sent like a delivery."""

    class Status(models.TextChoices):
        PENDING = "pending", "à envoyer"
        SENT = "sent", "envoyé"
        SKIPPED = "skipped", "non envoyé (plus rien à dire)"
        FAILED = "failed", "échec"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    cadence = models.CharField("rythme", max_length=10, choices=kinds.Cadence)
    period_start = models.DateTimeField("début de la période")
    period_end = models.DateTimeField("fin de la période")
    sources = models.JSONField("contenu des sources", default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField("créé le", default=timezone.now)

    class Meta:
        verbose_name = "résumé"
        verbose_name_plural = "résumés"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cadence", "period_start"], name="digest_once_per_period"
            ),
        ]
        indexes = [
            models.Index(fields=["id"], condition=Q(status="pending"), name="digest_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.get_cadence_display()} {self.period_start:%d/%m/%Y} → {self.user_id}"


class EmailPreference(models.Model):
    """A user's cadence for one topic (notifications.kinds.Topic). No row: the topic's default
    applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    topic = models.CharField(max_length=20, choices=kinds.topic_choices)
    cadence = models.CharField("rythme", max_length=10, choices=kinds.Cadence)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "préférence d'e-mails"
        verbose_name_plural = "préférences d'e-mails"
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="email_preference_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.get_topic_display()} : {self.get_cadence_display()}"
