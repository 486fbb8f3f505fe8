"""The organisations' rules, each in one place: who creates, joins (invitation, join link,
email domain), changes role, leaves. What leaving does to the promises in the organisation's
name is the promises app's (it registers an on_leave hook from its AppConfig.ready(): this app
sits below promises and imports nothing of it)."""

import secrets
from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from onpromet.errors import Refusal
from onpromet.mail import email_send_later
from onpromet.photos import ProcessedPhoto

from .emails import invitation_message
from .models import Invitation, Membership, Organisation, join_token_new

# Each hook: (organisation, user) -> sentences telling the person what leaving did (their
# pledges withdrawn…), run in the transaction that removes the membership.
ON_LEAVE: list[Callable[[Organisation, User], list[str]]] = []


def on_leave_register(hook: Callable[[Organisation, User], list[str]]) -> None:
    ON_LEAVE.append(hook)


# --- Creating and editing ---------------------------------------------------------------------


# Paths of /organisations/ that a slug must not take.
RESERVED_SLUGS = {"nouvelle", "invitation", "mes-organisations"}


def _slug_for(name: str) -> str:
    base = slugify(name)[:60].strip("-") or "organisation"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def normalise_domain(domain: str) -> str:
    """ "@ACME.fr " → "acme.fr"."""
    return domain.strip().lower().lstrip("@").rstrip(".")


@transaction.atomic
def organisation_create(
    *, user: User, name: str, kind: str, logo: ProcessedPhoto | None = None, **fields
) -> Organisation:
    """Its creator is its first admin. An email domain, if given, counts once proven
    (domain_prove)."""
    if "email_domain" in fields:
        fields["email_domain"] = normalise_domain(fields["email_domain"])
    organisation = Organisation(
        name=name, kind=kind, slug=_slug_for(name), created_by=user, **fields
    )
    _logo_set(organisation, logo)
    organisation.save()
    Membership.objects.create(
        organisation=organisation, user=user, role=Membership.Role.ADMIN, via=Membership.Via.CREATOR
    )
    domain_prove(organisation=organisation, by=user)
    return organisation


def _logo_set(organisation: Organisation, logo: ProcessedPhoto | None) -> None:
    if logo is not None:
        organisation.logo.save(logo.image.name, logo.image, save=False)
        organisation.logo_thumbnail.save(logo.thumbnail.name, logo.thumbnail, save=False)


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, by: User, logo: ProcessedPhoto | None = None, **fields
) -> Organisation:
    if "email_domain" in fields:
        domain = normalise_domain(fields["email_domain"])
        if domain != organisation.email_domain:
            # A new domain must be proven again; a revocation was of the former one.
            organisation.domain_verified_at = organisation.domain_revoked_at = None
        fields["email_domain"] = domain
    for name, value in fields.items():
        setattr(organisation, name, value)
    _logo_set(organisation, logo)
    organisation.save()
    domain_prove(organisation=organisation, by=by)
    return organisation


def join_link_reset(*, organisation: Organisation) -> str:
    organisation.join_token = join_token_new()
    organisation.save(update_fields=["join_token"])
    return organisation.join_token


# --- The email domain -------------------------------------------------------------------------


def confirmed_on_domain(user: User, domain: str) -> bool:
    """Whether the user confirmed an address exactly at this domain: "x@acme.fr" is, but
    neither "x@acme.fr.evil.com", "x@notacme.fr" nor "x@mail.acme.fr", nor an address not
    confirmed yet."""
    if not domain:
        return False
    addresses = EmailAddress.objects.filter(user=user, verified=True).values_list(
        "email", flat=True
    )
    return any(address.rsplit("@", 1)[-1].lower() == domain for address in addresses)


def domain_prove(*, organisation: Organisation, by: User) -> bool:
    """The domain belongs to the organisation once one of its admins confirmed an address on it
    (called when the domain is set, and when an admin confirms an address). A domain another
    organisation proved first stays theirs."""
    if (
        not organisation.email_domain
        or organisation.domain_verified_at is not None
        or organisation.domain_revoked_at is not None  # moderators said no: until it changes
    ):
        return False
    is_admin = Membership.objects.admins().filter(organisation=organisation, user=by).exists()
    if not (is_admin and confirmed_on_domain(by, organisation.email_domain)):
        return False
    try:
        with transaction.atomic():
            updated = Organisation.objects.filter(
                pk=organisation.pk, domain_verified_at__isnull=True
            ).update(domain_verified_at=timezone.now())
    except IntegrityError:
        return False  # proven by another organisation: the unique constraint decides
    organisation.refresh_from_db(fields=["domain_verified_at"])
    return bool(updated)


def organisation_set_hidden(*, organisation: Organisation, hidden: bool) -> None:
    """Moderation (or three reports): hidden, its page shows only to its members and
    moderators, with a notice."""
    Organisation.objects.filter(pk=organisation.pk).update(
        is_hidden=hidden, hidden_at=timezone.now() if hidden else None
    )
    organisation.is_hidden = hidden


def domain_revoke(*, organisation: Organisation) -> None:
    """Moderators: the domain no longer lets anyone join (members stay members), and cannot be
    proven again until the organisation sets another one."""
    now = timezone.now()
    Organisation.objects.filter(pk=organisation.pk).update(
        domain_verified_at=None, domain_revoked_at=now
    )
    organisation.domain_verified_at, organisation.domain_revoked_at = None, now


# --- Joining ----------------------------------------------------------------------------------


def _join(
    *, organisation: Organisation, user: User, via: str, role: str = Membership.Role.MEMBER
) -> Membership:
    if not organisation.is_active:
        raise Refusal("Cette organisation n'est plus active sur OnPromet.")
    membership, created = Membership.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": role, "via": via}
    )
    if not created and via == Membership.Via.INVITATION and role != Membership.Role.MEMBER:
        # Already a member: an invitation as animateur or admin raises the role, never lowers.
        rank = [Membership.Role.MEMBER, Membership.Role.ANIMATEUR, Membership.Role.ADMIN]
        if rank.index(role) > rank.index(membership.role):
            membership.role = role
            membership.save(update_fields=["role"])
    return membership


def invitation_create(*, organisation: Organisation, by: User, email: str, role: str) -> Invitation:
    """Sends the invitation email with its single-use link (organisations.emails)."""
    if not Membership.objects.admins().filter(organisation=organisation, user=by).exists():
        raise Refusal("Seuls les admins de l'organisation invitent.")
    email = email.strip()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise Refusal("Cette personne est déjà membre de l'organisation.")
    pending = Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True)
    if pending.filter(email__iexact=email).exists():
        raise Refusal("Une invitation attend déjà une réponse à cette adresse.")
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, invited_by=by
    )
    email_send_later(message=invitation_message(invitation=invitation))
    return invitation


def invitation_cancel(*, invitation: Invitation) -> None:
    """An admin withdraws an invitation not used yet: its link no longer works."""
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).delete()


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """Single use: the first account that accepts it joins, with its role."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organisation")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        raise Refusal("Cette invitation n'existe pas.")
    if invitation.accepted_at is not None:
        if invitation.accepted_by_id == user.pk:
            return Membership.objects.get(organisation=invitation.organisation, user=user)
        raise Refusal("Cette invitation a déjà servi.")
    membership = _join(
        organisation=invitation.organisation,
        user=user,
        via=Membership.Via.INVITATION,
        role=invitation.role,
    )
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def join_by_link(*, organisation: Organisation, token: str, user: User) -> Membership:
    if not token or not secrets.compare_digest(token, organisation.join_token):
        raise Refusal("Ce lien d'adhésion n'est plus valable : demandez-en un nouveau.")
    return _join(organisation=organisation, user=user, via=Membership.Via.LINK)


def join_by_domain(*, organisation: Organisation, user: User) -> Membership:
    if not organisation.joins_by_domain:
        raise Refusal("Cette organisation n'accepte pas d'adhésion par adresse e-mail.")
    if not confirmed_on_domain(user, organisation.email_domain):
        raise Refusal(
            f"Confirmez d'abord une adresse e-mail en @{organisation.email_domain} "
            "dans votre compte."
        )
    return _join(organisation=organisation, user=user, via=Membership.Via.DOMAIN)


# --- Roles and leaving ------------------------------------------------------------------------


def _lock(organisation: Organisation) -> Organisation:
    # FOR NO KEY UPDATE: a promise of the organisation updated twice in one transaction
    # (a pledge: its counter, then its version) checks its foreign key again, with FOR KEY
    # SHARE on this row; a FOR UPDATE here, held while member_leave's hooks wait for that
    # promise's lock, would deadlock with it.
    return Organisation.objects.select_for_update(no_key=True).get(pk=organisation.pk)


LAST_ADMIN = "Vous êtes le dernier admin : nommez d'abord un autre admin."


@transaction.atomic
def role_set(*, membership: Membership, role: str) -> Membership:
    _lock(membership.organisation)  # the last-admin rule, one change at a time
    membership.refresh_from_db()
    if membership.role == Membership.Role.ADMIN and role != Membership.Role.ADMIN:
        others = Membership.objects.admins().filter(organisation_id=membership.organisation_id)
        if not others.exclude(pk=membership.pk).exists():
            raise Refusal("L'organisation doit garder au moins un admin.")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def member_leave(*, organisation: Organisation, user: User, forced: bool = False) -> list[str]:
    """Leave (or, forced, be removed by an admin or by the account's deletion). The last admin
    cannot leave by themselves. The promises app withdraws or abandons the person's pledges on
    the organisation's members-only promises (ON_LEAVE); the sentences say what happened."""
    _lock(organisation)
    membership = Membership.objects.filter(organisation=organisation, user=user).first()
    if membership is None:
        return []
    if membership.role == Membership.Role.ADMIN and not forced:
        others = (
            Membership.objects.admins().filter(organisation=organisation).exclude(pk=membership.pk)
        )
        if not others.exists():
            raise Refusal(LAST_ADMIN)
    membership.delete()
    told = []
    for hook in ON_LEAVE:
        told += hook(organisation, user)
    return told
