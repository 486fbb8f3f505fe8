"""The cache keys of the pages that show promises (onpromet/pagecache.py says how they serve).

What a page shows is named by the versions of its promises: `Promise.version` moves in the
transaction of every change a promise's pages show (promises/migrations/0007 and
discussions/migrations/0002 hold the triggers), so a key read after a change commits is a key
no cached page has yet.

Who looks is named by `viewer()` on the promise page, and by `reader()` on the listings. Their
rule: two visitors with the same value see byte-for-byte the same page (CSRF token aside).
discussions/tests/test_page_cache.py renders the page for a whole cast and checks it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from onpromet.pagecache import cache_get, cache_set, placeholder

from .permissions import PromiseAccess

# Hooks of the apps above promises that put personal things on the promise page: each returns
# True when the page holds something of this visitor's own (discussions: a post or reply of
# theirs, which they may edit, delete, or read although it is hidden).
_personal: list[Callable[[PromiseAccess], bool]] = []


def register_personal(hook: Callable[[PromiseAccess], bool]) -> None:
    _personal.append(hook)


# Standings whose box on the page carries a date of the visitor's own ("Vous avez tenu votre
# promesse le 3 juillet").
_DATED_STANDINGS = {"kept", "abandoned"}


def reader(user) -> tuple:
    """Who reads a listing: the header changes with being logged in and being a moderator;
    the cards do not change with who reads them (visibility is in the versions' list)."""
    return (user.is_authenticated, user.is_authenticated and user.is_staff)


@dataclass(frozen=True)
class Viewer:
    key: tuple  # who looks, for the page's cache key
    fill: dict[str, str]  # their own words in the shared page (onpromet.pagecache)


def share_token_placeholder() -> str:
    """Stands for the visitor's share token in the promise page (promises.sharing)."""
    return placeholder("share")


def viewer(promise, user, access: Callable[[], PromiseAccess]) -> Viewer:
    """Who looks at a promise page. Anonymous visitors share one page; logged-in ones share it
    with those of the same standing (participant, initiator, moderator…) and the same number
    of people brought by their link, except when the page holds something of their own: then
    the key is theirs alone. A participant's share link is theirs, but filled into the shared
    page on each response.

    What this takes from the database (the visitor's pledge, whether they wrote in the
    discussion, the pledges made through their link) cannot change without the promise's
    version moving: so it is read once per person, promise and version (through `access()`,
    their PromiseAccess), and kept in the cache as long as a page is."""
    if not user.is_authenticated:
        return Viewer(key=("anonymous",), fill={})
    facts_key = f"page-viewer:v2:{user.pk}:{promise.pk}:{promise.version}"
    facts = cache_get(facts_key)
    if facts is None:
        standing = access().standing
        personal = standing in _DATED_STANDINGS or any(hook(access()) for hook in _personal)
        pledge = access().pledge
        facts = (
            user.pk if personal else None,
            standing,
            access().brought,
            pledge.share_token if pledge else None,
        )
        cache_set(facts_key, facts)
    *shared, token = facts
    # is_staff: PromiseAccess.is_moderator
    key = ("person", *shared, user.is_staff)
    return Viewer(key=key, fill={share_token_placeholder(): token} if token else {})


def versions(promises: Iterable) -> tuple:
    """What a list of promises shows, in its order."""
    return tuple((promise.pk, promise.version) for promise in promises)
