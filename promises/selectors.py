"""The read queries of the promises' pages: home, /promesses/, the promise page, its news and
initiators, the dashboard. Each returns a queryset (or a few rows) whose cost does not grow
with the page's data; which promises a visitor may see is still Promise.objects.visible_to's
decision alone."""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, FloatField, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone

from onpromet.sql import Compiled

from . import finder, places, search
from .models import Invitation, Pledge, Promise, Update

# The home page shows a few cards per section: enough to tempt, short on a phone.
HOME_CARDS = 3
# "Bientôt à l'objectif": at least half-way there.
HOME_CLOSE_SHARE = 0.5
NEWS_ON_PAGE = 3


class ForEachVisitor:
    """A read on every request, compiled once per kind of visitor (onpromet/sql.py):
    visible_to() makes a different query for anonymous visitors, moderators and the others
    (the last two with their id: their organisations' promises for members only).
    build(user, *values) returns the values_list() queryset, with a stand-in user."""

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        user = get_user_model()
        self._compiled = {
            "anonymous": Compiled(lambda *values: build(AnonymousUser(), *values)),
            "moderator": Compiled(
                lambda user_id, *values: build(user(pk=user_id, is_staff=True), *values)
            ),
            "person": Compiled(lambda user_id, *values: build(user(pk=user_id), *values)),
        }

    def rows(self, user, *values, **paging) -> list[tuple]:
        if not user.is_authenticated:
            return self._compiled["anonymous"].rows(*values, **paging)
        if user.is_staff:
            return self._compiled["moderator"].rows(user.pk, *values, **paging)
        return self._compiled["person"].rows(user.pk, *values, **paging)


def _light(row: tuple) -> Promise:
    """A promise with its id and version only, as only("pk", "version") gives it: reading any
    other field costs a query."""
    return Promise.from_db(None, ["id", "version"], row[:2])


def _cards(user) -> QuerySet:
    """A listing's promises, with what names them (id, version) and nothing else: the page's
    cache key. cards() loads the rest when the page is rendered."""
    return Promise.objects.visible_to(user).listed().only("pk", "version")


def cards(*listings) -> list[list[Promise]]:
    """The full rows of listings' promises, each listing in its order, for their cards (one
    query for all of them); a search result keeps its excerpt (promises_page)."""
    rows = Promise.objects.select_related("created_by", "organisation").in_bulk(
        [promise.pk for listing in listings for promise in listing]
    )
    for promise in (p for listing in listings for p in listing if p.pk in rows):
        if hasattr(promise, "excerpt"):
            rows[promise.pk].excerpt = promise.excerpt
        if hasattr(promise, "distance"):  # near a place (places.near): "à 3 km"
            rows[promise.pk].distance_label = places.distance_label(promise.distance)
    return [[rows[p.pk] for p in listing if p.pk in rows] for listing in listings]


def _closest_first(promises: QuerySet) -> QuerySet:
    ratio = Cast(F("pledge_count"), FloatField()) / Cast(F("objective"), FloatField())
    return promises.annotate(ratio=ratio).order_by("-ratio", "deadline")


def _home(user) -> QuerySet:
    """Both sections of home in one query: (id, version, section) rows, each section in its
    order; the newest are taken twice as many as shown, to leave out those already closest."""
    open_promises = _cards(user).filter(state=Promise.State.OPEN)
    closest = _closest_first(open_promises).filter(
        ratio__gte=HOME_CLOSE_SHARE, pledge_count__lt=F("objective")
    )
    newest = open_promises.order_by("-created_at", "-pk")
    return (
        closest.annotate(section=Value("closest"))
        .values_list("pk", "version", "section")[:HOME_CARDS]
        .union(
            newest.annotate(section=Value("newest")).values_list("pk", "version", "section")[
                : 2 * HOME_CARDS
            ],
            all=True,
        )
    )


_HOME = ForEachVisitor(_home)


def home_promises(*, user) -> tuple[list[Promise], list[Promise]]:
    """Open promises close to their objective, then the newest of the others: each card once,
    in one query whatever the number of promises (ids and versions: see cards())."""
    rows = _HOME.rows(user)
    closest = [_light(row) for row in rows if row[2] == "closest"]
    shown = {promise.pk for promise in closest}
    newest = [_light(row) for row in rows if row[2] == "newest" and row[0] not in shown]
    return closest, newest[:HOME_CARDS]


def promises_search(
    *,
    user,
    q: str = "",
    state: str = "",
    theme=None,
    sort: str = "",
    near=None,
    answers: finder.Answers | None = None,
) -> QuerySet:
    """/promesses/: listings never show a hidden promise, not even to its initiators or to
    moderators (they find it on their dashboard, or in the admin). A search (q: French
    full-text, promises/search.py) ranks by relevance unless another order is chosen. Ids and
    versions: see cards()."""
    promises = _cards(user)
    if q:
        promises = search.matching(promises, q)
    if state:
        promises = promises.filter(state=state)
    if theme:
        promises = promises.filter(themes=theme)
    if answers is not None and answers.given:
        # The finder's answers (themes, time, format, when): promises/finder.py.
        promises = finder.narrow(promises, answers, today=timezone.localdate())
    if near:
        # (latitude, longitude, km): promises with a place within km, closest first unless
        # another order is chosen (places.near; those "à distance" are left out).
        latitude, longitude, km = near
        promises = places.near(promises, latitude=latitude, longitude=longitude, km=km)
        if not sort:
            return promises
    if sort == "proches":
        return _closest_first(promises)
    if sort == "echeance":
        return promises.order_by("deadline")
    if q and sort != "recentes":
        return search.by_relevance(promises)
    return promises.order_by("-created_at")


def _count(promises: QuerySet) -> QuerySet:
    """COUNT(*) of a queryset, as a values_list() query (one row) that Compiled can run."""
    grouped = promises.order_by().annotate(one=Value(1)).values("one")  # one group: all rows
    return grouped.annotate(n=Count("pk")).values_list("n")


# /promesses/ without a search, compiled for each combination of filters and sort order.
_LISTINGS: dict[tuple, tuple[ForEachVisitor, ForEachVisitor]] = {}


def promises_page(
    *,
    user,
    q: str = "",
    state: str = "",
    theme=None,
    sort: str = "",
    near=None,
    answers: finder.Answers | None = None,
    number: int,
    per_page: int,
) -> Page:
    """A page of promises_search(), with ids and versions (see cards()). Without a search
    (the listing everybody opens), its count and its rows are compiled queries."""
    narrowed = answers is not None and answers.given
    if (near or narrowed) and not q:
        # Near a place (the position is a parameter of this query only: never compiled, never
        # cached), or narrowed by the finder's answers.
        promises = promises_search(
            user=user, state=state, theme=theme, sort=sort, near=near, answers=answers
        )
        return Paginator(promises, per_page).get_page(number)
    if q:
        promises = promises_search(
            user=user, q=q, state=state, theme=theme, sort=sort, near=near, answers=answers
        )
        page = Paginator(search.with_headline(promises, q), per_page).get_page(number)
        page.object_list = list(page.object_list)
        for promise in page.object_list:
            promise.excerpt = search.excerpt_html(promise.headline)
        return page
    shape = (bool(state), theme is not None, sort)
    if shape not in _LISTINGS:

        def build(user, *values):
            values = list(values)
            return promises_search(
                user=user,
                state=values.pop(0) if shape[0] else "",
                theme=values.pop(0) if shape[1] else None,
                sort=sort,
            )

        _LISTINGS[shape] = (
            ForEachVisitor(lambda user, *values: _count(build(user, *values))),
            ForEachVisitor(lambda user, *values: build(user, *values).values_list("pk", "version")),
        )
    counted, listed = _LISTINGS[shape]
    values = [v for v, used in ((state, shape[0]), (theme and theme.pk, shape[1])) if used]
    paginator = Paginator(Promise.objects.none(), per_page)
    paginator.count = counted.rows(user, *values)[0][0]
    page = paginator.get_page(number)
    rows = listed.rows(user, *values, limit=per_page, offset=(page.number - 1) * per_page)
    page.object_list = [_light(row) for row in rows]
    return page


# The promise page's key.
_VISIBLE_VERSION = ForEachVisitor(
    lambda user, slug: (
        Promise.objects.visible_to(user).filter(slug=slug).values_list("pk", "version")
    )
)


def visible_promise_version(user, slug: str) -> Promise | None:
    """The promise's id and version if this visitor may see it (its page's cache key)."""
    rows = _VISIBLE_VERSION.rows(user, slug)
    return _light(rows[0]) if rows else None


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
        # Not a promise for the members of an organisation they left (an abandoned pledge).
        .reachable()
        # The bilan: "le bilan" is linked for a finished promise that has one.
        .select_related("promise", "promise__created_by", "promise__recap", "promise__organisation")
        .order_by("-created_at", "-pk")
    )


def dashboard_led(*, user) -> QuerySet:
    return dashboard_pledges(user=user).initiators()


def dashboard_joined(*, user) -> QuerySet:
    return dashboard_pledges(user=user).filter(is_initiator=False)  # active, pending, abandoned


# "Ceux qui ont promis ceci ont aussi promis": at most this many, from the pledges of this many
# of the promise's newest participants (the query's cost stays bounded as the promise grows).
ALSO_PLEDGED = 3
ALSO_PLEDGED_PEOPLE = 1000


def also_pledged(promise: Promise) -> list[Promise]:
    """Up to ALSO_PLEDGED other open promises that anyone may see, those the most of this
    promise's people also pledged to, in two queries whatever the numbers. The promise page is
    cached by this promise's version, not theirs: what they show is at most PAGE_TTL old.

    The page is the same for everyone who sees it: so no promise for an organisation's
    members only, except on the page of one of that organisation's (which only its members
    see), its other ones."""
    # Its participants, not its initiators (whose own other promises say nothing of it).
    people = (
        Pledge.objects.filter(promise=promise)
        .participants()
        .order_by("-activated_at", "-pk")
        .values("user_id")[:ALSO_PLEDGED_PEOPLE]
    )
    public = Promise.objects.visible_to(AnonymousUser()).listed().filter(state=Promise.State.OPEN)
    candidates = public
    if promise.members_only:
        among_members = Promise.objects.filter(
            organisation_id=promise.organisation_id,
            visibility=Promise.Visibility.MEMBERS,
            is_hidden=False,
            state=Promise.State.OPEN,
        )
        candidates = public | among_members
    ranked = list(
        Pledge.objects.filter(user_id__in=people, status=Pledge.Status.ACTIVE)
        .exclude(promise=promise)
        .filter(promise__in=candidates)
        .values("promise_id")
        .annotate(shared=Count("pk"))
        .order_by("-shared", "promise_id")
        .values_list("promise_id", flat=True)[:ALSO_PLEDGED]
    )
    rows = Promise.objects.select_related("created_by", "organisation").in_bulk(ranked)
    return [rows[pk] for pk in ranked if pk in rows]


def finder_results(user, answers: "finder.Answers", *, near=None, now=None) -> QuerySet:
    """The action finder's results for this visitor: /promesses/'s builder, open promises,
    narrowed by the answers (and near a place: places.near annotates the distance), ranked
    where one more person matters most (finder.ranked)."""
    now = now or timezone.now()
    promises = promises_search(user=user, state=Promise.State.OPEN, near=near, answers=answers)
    return finder.ranked(promises, now=now)
