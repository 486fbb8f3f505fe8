"""`manage.py seed_demo`: the demo data that `make run` shows."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import User
from accounts.services import MODERATION_GROUP
from notifications.models import Broadcast
from promises.management.commands.seed_demo import ACCOUNTS, MODERATOR_EMAIL, PASSWORD
from promises.models import Pledge, Promise, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug(settings):
    # The command refuses to run without DEBUG; pytest-django turns DEBUG off.
    settings.DEBUG = True


def seed_demo() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (User, EmailAddress, Theme, Promise, Pledge)
    }


def test_it_creates_promises_in_every_state():
    seed_demo()

    states = set(Promise.objects.values_list("state", flat=True))
    assert states >= {
        Promise.State.OPEN,
        Promise.State.REACHED,
        Promise.State.FAILED,
        Promise.State.CANCELLED,
        Promise.State.FINISHED,
    }
    biscarosse = Promise.objects.get(city="Biscarosse")
    assert biscarosse.state == Promise.State.REACHED
    assert biscarosse.sentence.startswith("Je promets d'aller nettoyer la plage de Biscarosse")
    assert biscarosse.pledges.filter(status=Pledge.Status.ABANDONED).exclude(abandon_reason="")
    bordeaux = Promise.objects.get(city="Bordeaux")
    assert (bordeaux.state, bordeaux.pledge_count, bordeaux.objective) == ("open", 87, 100)
    assert Pledge.objects.filter(status=Pledge.Status.PENDING).exists()
    assert User.objects.filter(appears_anonymously=True).exists()
    assert User.objects.count() >= 150


def test_it_keeps_every_counter_equal_to_the_counted_pledges():
    seed_demo()

    for promise in Promise.objects.all():
        assert promise.pledge_count == promise.pledges.counted().count(), promise.city


def test_it_dates_the_story_consistently():
    seed_demo()

    now = timezone.now()
    for promise in Promise.objects.all():
        pledges = promise.pledges.all()
        initiator = pledges.get(is_initiator=True)
        assert initiator.created_at == initiator.activated_at == promise.created_at
        assert all(promise.created_at <= p.created_at <= now for p in pledges), promise.city
        assert all(p.activated_at <= now for p in pledges if p.activated_at), promise.city
    for promise in Promise.objects.filter(state=Promise.State.REACHED):
        # Exactly the objective was counted when it was reached; the others joined on the way.
        before = promise.pledges.filter(is_initiator=False, activated_at__lte=promise.reached_at)
        assert before.count() == promise.objective
        assert promise.pledges.filter(status=Pledge.Status.ACTIVE).filter(
            activated_at__gt=promise.reached_at
        )
        for pledge in promise.pledges.filter(status=Pledge.Status.ABANDONED):
            assert pledge.abandoned_at > promise.reached_at
    for promise in Promise.objects.filter(state=Promise.State.FAILED):
        assert promise.deadline < promise.failed_at < now
        assert promise.pledge_count < promise.objective


def test_it_does_not_duplicate_anything_when_run_twice():
    seed_demo()
    before = row_counts()

    output = seed_demo()

    assert row_counts() == before
    assert "déjà présentes" in output


def test_it_prints_the_address_and_the_demo_accounts():
    output = seed_demo()

    assert "http://127.0.0.1:8000/" in output
    assert PASSWORD in output
    for email, _name, _role in ACCOUNTS:
        assert email in output
        user = User.objects.get(email=email)
        assert user.check_password(PASSWORD)
        assert EmailAddress.objects.filter(user=user, primary=True, verified=True).exists()
    moderator = User.objects.get(email=MODERATOR_EMAIL)
    assert moderator.is_staff and not moderator.is_superuser
    assert moderator.groups.filter(name=MODERATION_GROUP).exists()


def test_it_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        seed_demo()

    assert not User.objects.exists()


def test_it_finishes_a_promise_with_a_published_recap():
    seed_demo()

    finished = Promise.objects.get(state=Promise.State.FINISHED)
    recap = finished.recap
    assert recap.is_published and recap.published_at == finished.finished_at
    assert recap.author == finished.created_by
    assert finished.created_by.email == "elsa@onpromet.localhost"
    now = timezone.now()
    assert finished.reached_at < finished.finished_at < now
    action_evening = finished.pledges.exclude(kept_at=None).values_list("kept_at", flat=True)
    assert len(action_evening) == 17
    assert all(finished.reached_at < kept < finished.finished_at for kept in action_evening)
    assert finished.pledges.filter(activated_at__gt=finished.finished_at).count() == 0
    assert finished.pledges.filter(status=Pledge.Status.ABANDONED).count() == 2
    # Its past emails are not sent now.
    assert not Broadcast.objects.filter(promise=finished).exists()
