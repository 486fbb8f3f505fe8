"""A site with something in every state, and the four kinds of visitor of the gates."""

import datetime

import pytest
import time_machine
from django.test import Client

from accounts.tests.factories import UserFactory
from discussions import services as discussion_services
from discussions.images import process_photo
from discussions.tests.factories import image_upload
from notifications.emails import unsubscribe_token
from notifications.models import Topic
from promises import services
from promises.models import Promise
from promises.tests.factories import PromiseFactory, ThemeFactory

VISITORS = ("anonymous", "participant", "initiator", "moderator")


@pytest.fixture
def site(initiator, participant, moderator):
    """Promises in every state, with participants, a pending pledge, an abandonment, a hidden
    promise and broadcasts. Returns the sample values that fill URL patterns."""
    theme = ThemeFactory(name="Environnement", slug="environnement")
    open_promise = PromiseFactory(created_by=initiator, objective=5, themes=[theme])
    services.pledge_create(promise=open_promise, user=participant)
    services.pledge_create(promise=open_promise, user=UserFactory(verified=False))
    invitation = services.invitation_create(
        promise=open_promise, invited_by=initiator, email="elsa@example.org"
    )

    reached = PromiseFactory(
        created_by=initiator, objective=2, action="planter des arbres au parc", themes=[theme]
    )
    services.pledge_create(promise=reached, user=participant)
    others = UserFactory.create_batch(2)
    for user in others:
        services.pledge_create(promise=reached, user=user)
    services.pledge_abandon(promise=reached, user=others[0], reason="Malade")

    failed = PromiseFactory(created_by=initiator, objective=10, action="composter au jardin")
    services.pledge_create(promise=failed, user=participant)
    with time_machine.travel(failed.deadline + datetime.timedelta(minutes=1)):
        services.promises_fail_expired()

    cancelled = PromiseFactory(created_by=initiator, action="laisser la voiture le mardi")
    services.promise_cancel(promise=cancelled)

    hidden = PromiseFactory(created_by=initiator, action="un contenu signalé à masquer")
    services.promise_set_hidden(promise=hidden, hidden=True)

    # A discussion: a pinned post, a photo, replies, a hidden post and a report.
    post = discussion_services.post_create(
        promise=open_promise, author=participant, text="On se retrouve au parking ?"
    )
    discussion_services.comment_create(post=post, author=initiator, text="Oui, à 9 h.")
    discussion_services.post_toggle_pin(post=post)
    discussion_services.post_create(
        promise=open_promise,
        author=initiator,
        text="La plage avant.",
        photo=process_photo(image_upload(size=(320, 240))),
    )
    masked = discussion_services.post_create(promise=open_promise, author=initiator, text="Oups")
    discussion_services.content_set_hidden(content=masked, hidden=True)
    discussion_services.report_create(reporter=moderator, content=post, reason="spam")

    # The action: a kept promise, a period with its agenda, news, a co-initiator invitation.
    services.pledge_keep(promise=reached, user=participant, comment="Fait")
    Promise.objects.filter(pk=reached.pk).update(
        action_date=datetime.date(2027, 7, 10),
        action_end_date=datetime.date(2027, 9, 10),
        action_schedule="tous les samedis",
    )
    services.update_create(promise=open_promise, author=initiator, text="Gants fournis.")
    services.update_create(
        promise=reached,
        author=initiator,
        text="Une photo du parc.",
        photo=process_photo(image_upload(size=(320, 240))),
    )
    Promise.objects.filter(pk=open_promise.pk).update(action_date=datetime.date(2027, 7, 8))

    # The bilan: a promise finished by its published recap (with someone who abandoned on the
    # way); the reached promise has a draft.
    finished = PromiseFactory(
        created_by=initiator, objective=1, action="repeindre le préau de l'école", themes=[theme]
    )
    services.pledge_create(promise=finished, user=participant)
    abandoner = UserFactory()
    services.pledge_create(promise=finished, user=abandoner)
    services.pledge_abandon(promise=finished, user=abandoner, reason="Déménagement")
    services.recap_save(promise=finished, author=initiator, text="Le préau est neuf.\nMerci !")
    services.recap_publish(promise=finished)
    services.recap_save(promise=reached, author=initiator, text="Brouillon du bilan")

    assert {p.state for p in Promise.objects.all()} >= {
        Promise.State.OPEN,
        Promise.State.REACHED,
        Promise.State.FAILED,
        Promise.State.CANCELLED,
    }
    return {
        "slug": open_promise.slug,
        "pk": str(post.pk),
        "kind": "message",
        "token": unsubscribe_token(user_id=participant.pk, topic=Topic.ACTION),
        "invitation": invitation.token,
    }


@pytest.fixture
def visitor_client(initiator, participant, moderator):
    """visitor_client("participant") → a test client logged in as that member of the cast."""

    def make(kind: str) -> Client:
        client = Client()
        users = {"participant": participant, "initiator": initiator, "moderator": moderator}
        if kind in users:
            client.force_login(users[kind])
        return client

    return make
