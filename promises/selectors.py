"""The read queries of the promises' pages: home, /promesses/, the promise page, its news and
initiators, the dashboard. Each returns a queryset (or a few rows) whose cost does not grow
with the page's data; which promises a visitor may see is still Promise.objects.visible_to's
decision alone."""

from django.db.models import F, FloatField, Q, QuerySet
from django.db.models.functions import Cast

from .models import Invitation, Pledge, Promise, Update

# The home page shows a few cards per section: enough to tempt, short on a phone.
HOME_CARDS = 3
# "Bientôt à l'objectif": at least half-way there.
HOME_CLOSE_SHARE = 0.5
NEWS_ON_PAGE = 3


def _cards(user) -> QuerySet:
    """A listing's promises, with what names them (id, version) and nothing else: the page's
    cache key. cards() loads the rest when the page is rendered."""
    return Promise.objects.visible_to(user).listed().only("pk", "version")


def cards(*listings) -> list[list[Promise]]:
    """The full rows of listings' promises, each listing in its order, for their cards (one
    query for all of them)."""
    rows = Promise.objects.select_related("created_by").in_bulk(
        [promise.pk for listing in listings for promise in listing]
    )
    return [[rows[p.pk] for p in listing if p.pk in rows] for listing in listings]


def _closest_first(promises: QuerySet) -> QuerySet:
    ratio = Cast(F("pledge_count"), FloatField()) / Cast(F("objective"), FloatField())
    return promises.annotate(ratio=ratio).order_by("-ratio", "deadline")


def home_promises(*, user) -> tuple[list[Promise], list[Promise]]:
    """Open promises close to their objective, then the newest of the others: each card once,
    in two queries whatever the number of promises (ids and versions: see cards())."""
    open_promises = _cards(user).filter(state=Promise.State.OPEN)
    closest = list(
        _closest_first(open_promises).filter(
            ratio__gte=HOME_CLOSE_SHARE, pledge_count__lt=F("objective")
        )[:HOME_CARDS]
    )
    newest = list(
        open_promises.exclude(pk__in=[promise.pk for promise in closest]).order_by(
            "-created_at", "-pk"
        )[:HOME_CARDS]
    )
    return closest, newest


def promises_search(*, user, q: str = "", state: str = "", theme=None, sort: str = "") -> QuerySet:
    """/promesses/: listings never show a hidden promise, not even to its initiators or to
    moderators (they find it on their dashboard, or in the admin). Ids and versions: see
    cards()."""
    promises = _cards(user)
    if q:
        promises = promises.filter(Q(action__icontains=q) | Q(description__icontains=q))
    if state:
        promises = promises.filter(state=state)
    if theme:
        promises = promises.filter(themes=theme)
    if sort == "proches":
        return _closest_first(promises)
    if sort == "echeance":
        return promises.order_by("deadline")
    return promises.order_by("-created_at")


def visible_promise_version(user, slug: str) -> Promise | None:
    """The promise's id and version if this visitor may see it (its page's cache key), and
    no other column: reading any other field of it would cost a query."""
    return Promise.objects.visible_to(user).filter(slug=slug).only("pk", "version").first()


def promise_initiators(promise: Promise) -> QuerySet:
    return Pledge.objects.filter(promise=promise).initiators().select_related("user")


def promise_participants(promise: Promise) -> QuerySet:
    """Newest first, for the promise page's paginated list."""
    return (
        Pledge.objects.filter(promise=promise)
        .participants()
        .select_related("user")
        .order_by("-activated_at", "-pk")
    )


def invitations_pending(promise: Promise) -> QuerySet:
    return (
        Invitation.objects.filter(promise=promise, accepted_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at")
    )


def promise_updates(promise: Promise) -> QuerySet:
    # Index update_promise_created: the newest updates of one promise.
    return (
        Update.objects.filter(promise=promise)
        .select_related("author")
        .order_by("-created_at", "-pk")
    )


def promise_news(promise: Promise) -> tuple[list[Update], bool]:
    """The newest updates for the promise page, and whether there are more (one query)."""
    newest = list(promise_updates(promise)[: NEWS_ON_PAGE + 1])
    return newest[:NEWS_ON_PAGE], len(newest) > NEWS_ON_PAGE


def kept_count(promise: Promise) -> int:
    return Pledge.objects.filter(promise=promise).kept().count()


def dashboard_pledges(*, user) -> QuerySet:
    """/moi/: my pledges, newest first, with their promise (withdrawn ones are gone)."""
    return (
        Pledge.objects.filter(user=user)
        .exclude(status=Pledge.Status.WITHDRAWN)
        .select_related("promise", "promise__created_by")
        .order_by("-created_at", "-pk")
    )


def dashboard_led(*, user) -> QuerySet:
    return dashboard_pledges(user=user).initiators()


def dashboard_joined(*, user) -> QuerySet:
    return dashboard_pledges(user=user).filter(is_initiator=False)  # active, pending, abandoned
