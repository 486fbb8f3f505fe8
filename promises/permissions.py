"""Who may do what on a promise, decided in one place and used by views and templates."""

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from organisations.models import Membership

from .models import Pledge, Promise, Recap


@dataclass(frozen=True)
class PromiseAccess:
    promise: Promise
    user: object
    pledge: Pledge | None

    @classmethod
    def of(cls, promise: Promise, user) -> "PromiseAccess":
        pledge = None
        if user.is_authenticated:
            pledge = Pledge.objects.filter(promise=promise, user=user).first()
        return cls(promise=promise, user=user, pledge=pledge)

    @property
    def is_initiator(self) -> bool:
        return bool(self.pledge and self.pledge.is_initiator and self.pledge.is_active)

    @property
    def is_participant(self) -> bool:
        return bool(self.pledge and not self.pledge.is_initiator and self.pledge.is_active)

    @property
    def is_pending(self) -> bool:
        return bool(self.pledge and self.pledge.is_pending)

    @property
    def standing(self) -> str:
        """Where the visitor stands on this promise, which is what the action box and the
        discussion box tell them: "initiator", "kept", "participant", "pending", "withdrawn",
        "abandoned", or "visitor" (no pledge: anonymous, outsider, moderator)."""
        if self.pledge is None:
            return "visitor"
        if self.is_initiator:
            return "initiator"
        if self.is_participant:
            return "kept" if self.pledge.kept_at else "participant"
        return str(self.pledge.status)  # pending, withdrawn, abandoned

    @cached_property
    def is_member(self) -> bool:
        """Whether the visitor belongs to the promise's organisation. get_promise() reads it
        with the promise (no query more on the page of a promise for members only)."""
        promise = self.promise
        if not (promise.organisation_id and self.user.is_authenticated):
            return False
        known = getattr(promise, "viewer_is_member", None)
        if known is not None:
            return known
        return Membership.objects.filter(
            organisation_id=promise.organisation_id, user=self.user
        ).exists()

    @property
    def may_join(self) -> bool:
        """A promise for an organisation's members only is theirs alone to join (and
        pledge_create checks it again under the promise lock)."""
        return not self.promise.members_only or self.is_member

    @property
    def can_pledge(self) -> bool:
        """Anonymous visitors may click too: they are taken to sign-up, then counted."""
        if not self.promise.accepts_pledges or not self.may_join:
            return False
        return self.pledge is None or self.pledge.status in (
            Pledge.Status.WITHDRAWN,
            Pledge.Status.ABANDONED,
        )

    @property
    def can_withdraw(self) -> bool:
        return (
            self.promise.is_open
            and self.pledge is not None
            and not self.pledge.is_initiator
            and self.pledge.status in (Pledge.Status.ACTIVE, Pledge.Status.PENDING)
        )

    @property
    def can_abandon(self) -> bool:
        return self.promise.is_reached and self.is_participant

    @property
    def can_edit(self) -> bool:
        return self.is_initiator

    @property
    def can_cancel(self) -> bool:
        return self.is_initiator and self.promise.is_open

    @property
    def can_post(self) -> bool:
        """Write in the discussion: active participants and initiators."""
        return (self.is_participant or self.is_initiator) and not self.promise.is_hidden

    @property
    def can_share(self) -> bool:
        """The share panel, the pictures, the widget and the poster: a promise anyone may see."""
        return not self.promise.is_hidden

    @cached_property
    def brought(self) -> int:
        """How many people pledged through this visitor's share link ("Vous avez fait venir
        3 personnes"): PledgeQuerySet.brought_by() counts them."""
        if self.pledge is None:
            return 0
        return Pledge.objects.brought_by(self.pledge).count()

    @property
    def can_report(self) -> bool:
        return self.user.is_authenticated and not self.is_initiator

    @property
    def is_moderator(self) -> bool:
        return bool(self.user.is_authenticated and self.user.is_staff)

    # --- Leading the promise and acting on it ---------------------------------------------

    @property
    def is_live(self) -> bool:
        """Open or reached, and not hidden: co-initiators may join, news may be posted."""
        return self.promise.is_live and not self.promise.is_hidden

    @property
    def can_manage_initiators(self) -> bool:
        """See the initiators page (initiators, pending invitations)."""
        return self.is_initiator

    @property
    def can_invite(self) -> bool:
        return self.is_initiator and self.is_live

    @cached_property
    def can_leave(self) -> bool:
        """An initiator may leave the lead, unless they are the last one."""
        if not self.is_initiator:
            return False
        others = Pledge.objects.filter(promise=self.promise).initiators().exclude(pk=self.pledge.pk)
        return others.exists()

    @property
    def can_add_to_agenda(self) -> bool:
        """ "Ajouter à mon agenda" while the action is still to come: not once it has failed,
        been cancelled or finished."""
        return self.promise.action_date is not None and self.is_live

    @property
    def can_post_update(self) -> bool:
        return self.is_initiator and self.is_live

    @property
    def has_kept(self) -> bool:
        return bool(self.pledge and self.pledge.is_active and self.pledge.kept_at)

    @property
    def can_keep(self) -> bool:
        """J'ai tenu ma promesse: an active participant (initiators too), once, from the
        action's first day (from the objective reached when the action has no date)."""
        return (
            bool(self.pledge and self.pledge.is_active and not self.pledge.kept_at)
            and self.promise.action_started
            and not self.promise.is_hidden
        )

    @property
    def can_relaunch(self) -> bool:
        return self.is_initiator and self.promise.state == Promise.State.FAILED

    # --- The bilan (recap) ------------------------------------------------------------------

    @cached_property
    def recap(self) -> Recap | None:
        """The bilan, published or draft. Only a reached or finished promise can have one: no
        query for the others (the promise page of an open promise stays as fast)."""
        if not self.promise.objective_met:
            return None
        return Recap.objects.filter(promise=self.promise).first()

    @property
    def can_write_recap(self) -> bool:
        """Write, then correct, the bilan: initiators, once the objective is reached."""
        return self.is_initiator and self.promise.objective_met

    @property
    def can_publish_recap(self) -> bool:
        return (
            self.is_initiator
            and self.promise.is_reached
            and self.recap is not None
            and not self.recap.is_published
        )

    @property
    def can_see_recap(self) -> bool:
        """Everyone who sees the promise, once the bilan is published; before, its initiators
        only (a draft, or the page that invites them to write it)."""
        return bool(self.recap and self.recap.is_published) or self.can_write_recap


def get_promise(request, slug: str) -> Promise:
    """The promise if this visitor may see it, else 404: the access helper of every view."""
    promises = Promise.objects.visible_to(request.user).select_related("created_by", "organisation")
    if request.user.is_authenticated:
        # Whether they belong to its organisation (PromiseAccess.is_member), in the same query.
        member = Membership.objects.filter(
            organisation=OuterRef("organisation_id"), user=request.user
        )
        promises = promises.annotate(viewer_is_member=Exists(member))
    return get_object_or_404(promises, slug=slug)


def get_access(request, slug: str, *, needs: str = "") -> PromiseAccess:
    """What this visitor may do on the promise (404 if they may not see it). With `needs`, the
    name of one of PromiseAccess's permissions ("can_edit"): 403 unless they have it."""
    access = PromiseAccess.of(get_promise(request, slug), request.user)
    if needs and not getattr(access, needs):
        raise PermissionDenied
    return access


def get_shared(request, slug: str) -> tuple[Promise | None, bool]:
    """The promise of a file made to be shared (its pictures, its widget), and whether it is
    public. One anyone may see is served alike to everyone, without reading the session, and
    may be cached by anyone. One for an organisation's members only is served to its members
    only (the session is read, the answer is private); to anyone else, as to everyone for a
    promise hidden by the moderation, it does not exist."""
    public = Promise.objects.visible_to(AnonymousUser()).filter(slug=slug).first()
    if public is not None:
        return public, True
    if not Promise.objects.filter(slug=slug, visibility=Promise.Visibility.MEMBERS).exists():
        return None, False
    among_members = Promise.objects.visible_to(request.user).listed().select_related("organisation")
    return among_members.filter(slug=slug).first(), False
