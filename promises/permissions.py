"""Who may do what on a promise, decided in one place and used by views and templates."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from .models import Pledge, Promise


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
    def can_pledge(self) -> bool:
        """Anonymous visitors may click too: they are taken to sign-up, then counted."""
        if not self.promise.accepts_pledges:
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
    def can_report(self) -> bool:
        return self.user.is_authenticated and not self.is_initiator

    @property
    def is_moderator(self) -> bool:
        return bool(self.user.is_authenticated and self.user.is_staff)


def get_promise(request, slug: str) -> Promise:
    """The promise if this visitor may see it, else 404: the access helper of every view."""
    promises = Promise.objects.visible_to(request.user).select_related("created_by")
    return get_object_or_404(promises, slug=slug)


def get_access(request, slug: str) -> PromiseAccess:
    return PromiseAccess.of(get_promise(request, slug), request.user)
