"""The promise page's cache and the discussion: posts, replies and moderation bump the
promise's version (discussions/migrations/0002), a hidden post never survives in a cache, and
visitors who share a cache key (promises/caching.py viewer()) really see the same page."""

import re
from collections import defaultdict
from contextlib import contextmanager
from functools import partial

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from discussions import services
from discussions.models import Report
from onpromet import pagecache
from promises import caching
from promises import services as promise_services
from promises.models import Pledge, Promise
from promises.permissions import PromiseAccess
from promises.tests.factories import PromiseFactory, reach
from promises.tests.helpers import page_text

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def version(promise) -> int:
    return Promise.objects.values_list("version", flat=True).get(pk=promise.pk)


@contextmanager
def bumps(promise):
    before = version(promise)
    yield
    assert version(promise) > before


def test_posts_replies_pins_and_moderation_bump_the_promise(pledged, participant, initiator):
    with bumps(pledged):
        post = services.post_create(promise=pledged, author=participant, text="9 h ?")
    with bumps(pledged):
        services.post_update_text(post=post, text="9 h 30 ?")
    with bumps(pledged):
        services.post_toggle_pin(post=post)
    with bumps(pledged):
        comment = services.comment_create(post=post, author=initiator, text="Parfait.")
    with bumps(pledged):
        services.content_set_hidden(content=comment, hidden=True)
    with bumps(pledged):
        services.content_set_hidden(content=post, hidden=True)
    with bumps(pledged):
        services.content_set_hidden(content=post, hidden=False)
    with bumps(pledged):
        services.post_delete(post=post)


def test_a_post_hidden_by_reports_bumps_the_promise(post, pledged):
    reporters = UserFactory.create_batch(Report.REPORTS_TO_HIDE)
    for reporter in reporters[:-1]:
        services.report_create(reporter=reporter, content=post, reason="spam")
    with bumps(pledged):
        services.report_create(reporter=reporters[-1], content=post, reason="spam")
    post.refresh_from_db()
    assert post.is_hidden


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_hidden_post_never_survives_in_a_cache(post, pledged, participant, outsider, moderator):
    visitors = {
        "anonymous": Client(),
        "outsider": logged_in(outsider),
        "author": logged_in(participant),
        "moderator": logged_in(moderator),
    }
    for visitor in visitors.values():
        assert post.text in page_text(visitor.get(pledged.get_absolute_url()))
    reporters = UserFactory.create_batch(Report.REPORTS_TO_HIDE)
    for reporter in reporters:
        services.report_create(reporter=reporter, content=post, reason="spam")
    for who in ("anonymous", "outsider"):
        page = page_text(visitors[who].get(pledged.get_absolute_url()))
        assert post.text not in page
        assert "Message masqué par la modération" in page
    for who in ("author", "moderator"):
        page = page_text(visitors[who].get(pledged.get_absolute_url()))
        assert post.text in page
        assert "Masqué par la modération : seuls vous et les modérateurs le voyez." in page


@pytest.mark.parametrize("who", ["anonymous", "initiator", "moderator"])
def test_a_reply_is_on_the_page_at_the_next_request(post, pledged, participant, who, request):
    visitor = Client() if who == "anonymous" else logged_in(request.getfixturevalue(who))
    visitor.get(pledged.get_absolute_url())
    author = logged_in(participant)
    author.get(pledged.get_absolute_url())
    response = author.post(
        reverse("discussions:comment_create", args=[pledged.slug, post.pk]),
        {"text": "J'apporte les gants."},
    )
    assert response.status_code == 302
    assert "J'apporte les gants." in page_text(author.get(pledged.get_absolute_url()))
    assert "J'apporte les gants." in page_text(visitor.get(pledged.get_absolute_url()))


def test_visitors_who_share_a_cache_key_see_the_same_page(settings, initiator, moderator):
    """Render the promise page uncached (Redis unreachable: the cache is empty) for a whole
    cast, and check the rule of promises.caching.viewer(): same key, same bytes."""
    promise = PromiseFactory(created_by=initiator, objective=4)
    withdrawn = UserFactory(display_name="Wanda")
    promise_services.pledge_create(promise=promise, user=withdrawn)
    promise_services.pledge_withdraw(promise=promise, user=withdrawn)
    plain_a, plain_b, author, replier, kept_a, kept_b, abandoned = reach(promise, extra=3)
    pending = UserFactory(verified=False)
    promise_services.pledge_create(promise=promise, user=pending)
    co_initiator = UserFactory(display_name="Chloé")
    invitation = promise_services.invitation_create(
        promise=promise, invited_by=initiator, email=co_initiator.email
    )
    promise_services.invitation_accept(invitation=invitation, user=co_initiator)
    promise_services.pledge_keep(promise=promise, user=kept_a)
    promise_services.pledge_keep(promise=promise, user=kept_b)
    promise_services.pledge_abandon(promise=promise, user=abandoned, reason="")
    post = services.post_create(promise=promise, author=author, text="Rendez-vous au pont.")
    hidden = services.post_create(promise=promise, author=author, text="Hors sujet.")
    services.content_set_hidden(content=hidden, hidden=True)
    services.comment_create(post=post, author=replier, text="J'y serai.")
    masked = services.comment_create(post=post, author=replier, text="Hors sujet aussi.")
    services.content_set_hidden(content=masked, hidden=True)
    moderator_b = UserFactory(is_staff=True)

    cast = {
        "anonymous a": None,
        "anonymous b": None,
        "outsider a": UserFactory(),
        "outsider b": UserFactory(),
        "participant a": plain_a,
        "participant b": plain_b,
        "author": author,
        "replier": replier,
        "kept a": kept_a,
        "kept b": kept_b,
        "abandoned": abandoned,
        "pending": pending,
        "withdrawn": withdrawn,
        "initiator": initiator,
        "co-initiator": co_initiator,
        "moderator a": moderator,
        "moderator b": moderator_b,
    }
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}
    }
    promise.refresh_from_db()
    pages = defaultdict(dict)
    for name, user in cast.items():
        visitor = user or AnonymousUser()
        key = caching.viewer(promise, visitor, partial(PromiseAccess.of, promise, visitor)).key
        client = logged_in(user) if user else Client()
        pagecache.memory.clear()  # nor from this process's memory
        html = TOKEN.sub("", client.get(promise.get_absolute_url()).content.decode())
        # A participant's share link is theirs, filled into the shared page on each response.
        own = Pledge.objects.filter(promise=promise, user=user).first() if user else None
        pages[key][name] = html.replace(own.share_token, "") if own else html
    for key, group in pages.items():
        assert len(set(group.values())) == 1, f"{sorted(group)} share {key} but see different pages"
    shared = sorted(sorted(group) for group in pages.values() if len(group) > 1)
    assert shared == [
        ["anonymous a", "anonymous b"],
        ["co-initiator", "initiator"],
        ["moderator a", "moderator b"],
        ["outsider a", "outsider b"],
        ["participant a", "participant b"],
    ]
