"""J'ai tenu ma promesse: once, from the action's first day (or once reached, with no date),
with an optional comment and photo that become a discussion post; shown as a count."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from discussions import services as discussion_services
from discussions.models import Post
from onpromet.tests.images import image_upload
from promises import services
from promises.models import Pledge, Promise
from promises.tests.factories import PromiseFactory, reach
from promises.tests.helpers import page_text, race

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _url(promise) -> str:
    return reverse("discussions:keep", args=[promise.slug])


def test_it_records_a_kept_promise_with_a_post(client, promise):
    people = reach(promise)
    client.force_login(people[0])
    assert "J'ai tenu ma promesse" in page_text(client.get(promise.get_absolute_url()))

    response = client.post(_url(promise), {"comment": "Trois sacs !", "photo": image_upload()})

    assert response.status_code == 302
    pledge = Pledge.objects.get(promise=promise, user=people[0])
    assert pledge.kept_at is not None
    post = Post.objects.get(promise=promise, author=people[0])
    assert post.text == "J'ai tenu ma promesse !\n\nTrois sacs !"
    assert post.photo
    page = page_text(client.get(promise.get_absolute_url()))
    assert "1 personne a tenu sa promesse" in page
    assert "Vous avez tenu votre promesse le" in page


def test_it_counts_without_a_post_when_nothing_is_said(promise):
    people = reach(promise)
    for user in people[:2]:
        services.pledge_keep(promise=promise, user=user)
    assert not Post.objects.exists()
    assert "2 personnes ont tenu leur promesse" in page_text(
        Client().get(promise.get_absolute_url())
    )


def test_it_refuses_a_second_time_politely(client, promise):
    people = reach(promise)
    discussion_services.pledge_keep_and_post(promise=promise, user=people[0], comment="Fait")
    client.force_login(people[0])

    response = client.post(_url(promise), {"comment": "Encore"}, follow=True)

    assert response.status_code == 200
    assert "Vous avez déjà dit avoir tenu votre promesse" in page_text(response)
    assert Post.objects.filter(author=people[0]).count() == 1


def test_it_waits_for_the_action_date(client, promise):
    day = timezone.localdate() + datetime.timedelta(days=5)
    Promise.objects.filter(pk=promise.pk).update(action_date=day)
    people = reach(promise)
    midnight = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=PARIS)
    client.force_login(people[0])
    with time_machine.travel(midnight - datetime.timedelta(minutes=1)):
        assert client.get(_url(promise)).status_code == 403  # 23:59 in Paris, the day before
    with time_machine.travel(midnight + datetime.timedelta(minutes=1)):
        assert client.post(_url(promise)).status_code == 302  # 00:01 in Paris, the day
    assert Pledge.objects.get(promise=promise, user=people[0]).kept_at


def test_it_waits_for_the_objective(client, pledged, participant):
    client.force_login(participant)
    assert client.get(_url(pledged)).status_code == 403
    assert "J'ai tenu ma promesse" not in page_text(client.get(pledged.get_absolute_url()))


@pytest.mark.django_db(transaction=True)
def test_it_counts_a_double_click_on_kept_once():
    promise = PromiseFactory(objective=1)
    [user] = reach(promise)

    errors = race(
        lambda: discussion_services.pledge_keep_and_post(
            promise=promise, user=user, comment="Fait"
        ),
        [(), (), ()],
    )

    assert len(errors) == 2
    assert all(isinstance(e, services.AlreadyKeptError) for e in errors)
    assert promise.pledges.filter(kept_at__isnull=False).count() == 1
    assert promise.posts.count() == 1
