"""The web benchmark's data says what the services would have left: measured pages show a
site that could exist."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.models import User
from bench import web_data
from promises.models import Pledge, Promise

SIZES = web_data.Sizes(promises=30, big=40, small=10, posts=3, news=2, pledgers=5)


@pytest.fixture
def scene(db):
    return web_data.build(SIZES)


def test_it_keeps_every_counter_equal_to_the_count_of_counted_pledges(scene):
    assert web_data.counters_wrong() == []
    big = Promise.objects.get(slug=scene.big)
    assert big.pledge_count == SIZES.big
    assert Promise.objects.get(slug=scene.small).pledge_count == SIZES.small


def test_it_marks_late_exactly_the_pledges_counted_after_the_objective(scene):
    for slug in (scene.big, scene.small, scene.bilan):
        promise = Promise.objects.get(slug=slug)
        pledges = list(
            Pledge.objects.filter(promise=promise, is_initiator=False)
            .exclude(status=Pledge.Status.WITHDRAWN)
            .order_by("activated_at")
        )
        assert [p.joined_late for p in pledges] == [
            index >= promise.objective for index in range(len(pledges))
        ]
        assert promise.reached_at == pledges[promise.objective - 1].activated_at


def test_it_gives_every_finished_promise_its_published_bilan(scene):
    finished = Promise.objects.filter(state=Promise.State.FINISHED)
    assert finished.exists()
    assert not finished.filter(recap__published_at__isnull=True).exists()


def test_it_lets_the_participant_log_in_and_the_pledgers_pledge_with_confirmed_addresses(
    scene, client
):
    response = client.post(
        reverse("account_login"),
        {"login": scene.participant_email, "password": scene.participant_password},
    )
    assert response.status_code == 302
    user = User.objects.get(pk=client.session[SESSION_KEY])
    assert user.email == scene.participant_email
    assert Pledge.objects.filter(promise__slug=scene.big, user=user).participants().exists()
    confirmed = EmailAddress.objects.filter(verified=True, primary=True)
    assert confirmed.filter(user=user).exists()
    assert confirmed.filter(user__in=scene.pledgers).count() == SIZES.pledgers
    target = Promise.objects.get(slug=scene.target)
    assert target.accepts_pledges
    assert not target.pledges.filter(user__in=scene.pledgers).exists()
