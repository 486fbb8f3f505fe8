from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Topic(models.TextChoices):
    """What a user can turn on or off. Every email sent through the outbox belongs to one."""

    ACTION = "action", "Objectif atteint : l'appel à passer à l'action"
    OUTCOME = "outcome", "Promesses non atteintes ou annulées"
    REPLIES = "replies", "Réponses à mes messages dans les discussions"
    INITIATOR_POSTS = "initiator_posts", "Messages des initiateurs dans les discussions"
    UPDATES = "updates", "Nouvelles des initiateurs (une par jour au plus)"
    REMINDERS = "reminders", "Rappel la veille de l'action"
    RECAPS = "recaps", "Bilans des promesses"
    RELAUNCHES = "relaunches", "Relances d'une promesse non atteinte"
    INITIATOR_REMINDERS = "initiator_reminders", "Rappels aux initiateurs (bilan à publier)"

    @classmethod
    def default(cls, topic: str) -> bool:
        """On unless said otherwise; a participant is not flooded with every initiator post."""
        return topic != cls.INITIATOR_POSTS


class Broadcast(models.Model):
    """One email sent to many people (or to one, for a welcome), expanded into Deliveries by a
    Celery task. Created in the transaction of the event that causes it: nothing is lost."""

    class Kind(models.TextChoices):
        REACHED = "reached", "Objectif atteint"
        JOINED_LATE = "joined_late", "Bienvenue en cours de route"
        FAILED = "failed", "Objectif non atteint"
        CANCELLED = "cancelled", "Promesse annulée"
        REPLY = "reply", "Réponse à un message"
        INITIATOR_POST = "initiator_post", "Message d'un initiateur"
        UPDATE = "update", "Nouvelle des initiateurs"
        ACTION_REMINDER = "action_reminder", "Rappel : l'action, c'est demain"
        RECAP = "recap", "Bilan publié"
        RECAP_REMINDER = "recap_reminder", "Rappel aux initiateurs : publier le bilan"
        RELAUNCH = "relaunch", "Relance d'une promesse non atteinte"

    TOPICS = {
        Kind.REACHED: Topic.ACTION,
        Kind.JOINED_LATE: Topic.ACTION,
        Kind.FAILED: Topic.OUTCOME,
        Kind.CANCELLED: Topic.OUTCOME,
        Kind.REPLY: Topic.REPLIES,
        Kind.INITIATOR_POST: Topic.INITIATOR_POSTS,
        Kind.UPDATE: Topic.UPDATES,
        Kind.ACTION_REMINDER: Topic.REMINDERS,
        Kind.RECAP: Topic.RECAPS,
        Kind.RECAP_REMINDER: Topic.INITIATOR_REMINDERS,
        Kind.RELAUNCH: Topic.RELAUNCHES,
    }
    # Events that happen once per promise: so do their broadcasts (a beat task that runs twice,
    # or two at once, writes one row; the unique constraint below decides).
    ONCE_PER_PROMISE = (
        Kind.REACHED,
        Kind.FAILED,
        Kind.CANCELLED,
        Kind.ACTION_REMINDER,
        Kind.RECAP,
        Kind.RECAP_REMINDER,
        Kind.RELAUNCH,
    )

    kind = models.CharField("type", max_length=20, choices=Kind)
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
    # What the email is about, for the discussion emails.
    post = models.ForeignKey(
        "discussions.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        "discussions.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    update = models.ForeignKey(
        "promises.Update", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    expanded_at = models.DateTimeField("destinataires calculés le", null=True, blank=True)

    class Meta:
        verbose_name = "envoi groupé"
        verbose_name_plural = "envois groupés"
        constraints = [
            # A promise is reached, fails or is cancelled once: one broadcast each.
            models.UniqueConstraint(
                fields=["promise", "kind"],
                condition=Q(
                    kind__in=[
                        "reached",
                        "failed",
                        "cancelled",
                        "action_reminder",
                        "recap",
                        "recap_reminder",
                        "relaunch",
                    ]
                ),
                name="broadcast_once_per_promise_event",
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

    @property
    def topic(self) -> str:
        return self.TOPICS[self.kind]


class Delivery(models.Model):
    """One recipient of a broadcast. Claimed by a worker with a lease, marked sent as soon as
    the SMTP server accepts the message."""

    class Status(models.TextChoices):
        PENDING = "pending", "à envoyer"
        SENT = "sent", "envoyé"
        SKIPPED = "skipped", "non envoyé (plus concerné)"
        FAILED = "failed", "échec"

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="deliveries")
    # SET_NULL: a delivery to an account deleted meanwhile stays, and is skipped.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="deliveries",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A worker holds pending deliveries until this time; after it, another may take them.
    claimed_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

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
        ]

    def __str__(self) -> str:
        return f"{self.broadcast} → {self.user_id} ({self.status})"


class EmailPreference(models.Model):
    """A user's choice for one topic. No row: the topic's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    topic = models.CharField(max_length=20, choices=Topic)
    enabled = models.BooleanField("reçoit ces e-mails", default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "préférence d'e-mails"
        verbose_name_plural = "préférences d'e-mails"
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="email_preference_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {'✓' if self.enabled else '✕'} {self.get_topic_display()}"
