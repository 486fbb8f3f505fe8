"""The promises' part of the data export (accounts.export): the person's pledges, the news
they wrote as an initiator, and their share links. Nothing of the other participants: of
those their links brought, a count and the public names the promise page already shows."""

from django.db.models import Q
from django.urls import reverse

from accounts.export import Part, Section, photo_added

from .models import Alert, Commitment, Pledge, Promise, Update
from .sharing import short_link


def _promise(promise: Promise) -> dict:
    return {"promesse": promise.sentence, "adresse": promise.get_absolute_url()}


def _pledges(user) -> Part:
    pledges = Pledge.objects.filter(user=user).select_related("promise").order_by("created_at")
    return Part(
        [
            {
                **_promise(pledge.promise),
                "état de la promesse": pledge.promise.get_state_display(),
                "initiateur": pledge.is_initiator,
                "statut": pledge.get_status_display(),
                "promis le": pledge.created_at,
                "comptée depuis": pledge.activated_at,
                "en cours de route": pledge.joined_late,
                "retirée le": pledge.withdrawn_at,
                "abandonnée le": pledge.abandoned_at,
                "raison de l'abandon": pledge.abandon_reason,
                "tenue le": pledge.kept_at,
            }
            for pledge in pledges
        ]
    )


def _news(user) -> Part:
    updates = Update.objects.filter(author=user).select_related("promise").order_by("created_at")
    records, files = [], []
    for update in updates:
        photo = photo_added(files, update.photo, f"nouvelle-{update.pk}")
        records.append(
            {
                **_promise(update.promise),
                "nouvelle": update.text,
                "photo": photo,
                "publiée le": update.created_at,
            }
        )
    return Part(records, files)


def _referrals(user) -> Part:
    pledges = list(
        Pledge.objects.filter(user=user).select_related("promise").order_by("created_at")
    )
    # The people each link brought, in one query (Pledge.CREDITED, as brought_by counts them).
    brought: dict[int, list[str]] = {pledge.pk: [] for pledge in pledges}
    for referral in (
        Pledge.objects.filter(Pledge.CREDITED, referred_by__in=pledges)
        .select_related("user")
        .order_by("activated_at", "pk")
    ):
        brought[referral.referred_by_id].append(referral.user.public_name)
    return Part(
        [
            {
                **_promise(pledge.promise),
                "votre lien de partage": short_link(pledge.promise, pledge.share_token),
                "personnes venues par votre lien": len(brought[pledge.pk]),
                "leurs noms publics": brought[pledge.pk],
                "vous êtes venu par": pledge.get_source_display(),
            }
            for pledge in pledges
        ]
    )


def _alerts(user) -> Part:
    return Part(
        [
            {
                "alerte": alert.label,
                "recherche": f"{reverse('promises:list')}?{alert.query}",
                "créée le": alert.created_at,
                "promesses vues jusqu'au": alert.checked_until,
            }
            for alert in Alert.objects.filter(user=user).order_by("created_at")
        ]
    )


def _commitments(user) -> Part:
    """The sponsors' commitments the person proposed for an organisation, or decided on as an
    initiator."""
    commitments = (
        Commitment.objects.filter(Q(proposed_by=user) | Q(decided_by=user))
        .select_related("organisation", "promise")
        .order_by("proposed_at")
    )
    return Part(
        [
            {
                **_promise(c.promise),
                "organisation": c.organisation.name,
                "engagement": c.text,
                "état": c.get_state_display(),
                "proposé par vous": c.proposed_by_id == user.pk,
                "accepté ou refusé par vous": c.decided_by_id == user.pk,
                "proposé le": c.proposed_at,
            }
            for c in commitments
        ]
    )


SECTIONS = [
    Section("pledges", "Mes promesses", 40, _pledges),
    Section("news", "Nouvelles publiées", 70, _news),
    Section("referrals", "Partages", 100, _referrals),
    Section("alerts", "Alertes de recherche", 110, _alerts),
    Section("commitments", "Engagements d'organisations", 95, _commitments),
]


# The accounts the retention must not delete on its own (accounts.retention): someone whose
# pledge counted at some point, or who started a promise or wrote news (rows that protect
# their author).
RETENTION_KEEPERS = [
    lambda: Pledge.objects.exclude(status=Pledge.Status.PENDING).values("user_id"),
    lambda: Promise.objects.values("created_by_id"),
    lambda: Update.objects.values("author_id"),
]
