"""`manage.py seed_demo`: the demo data that `make run` shows."""

import hashlib
import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from accounts.services import MODERATION_GROUP
from demo.people import ACCOUNTS, MODERATOR_EMAIL, PASSWORD
from discussions.models import Comment, Post
from notifications.models import Broadcast
from promises.models import Pledge, Promise, Theme, Update

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug(settings):
    # The command refuses to run without DEBUG; pytest-django turns DEBUG off.
    settings.DEBUG = True


def seed_demo() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, seeded once for the whole module (it takes seconds), in a transaction rolled
    back at the end; each test runs inside it, in a savepoint of its own. Returns the first
    run's output and where its photos were written."""
    media = tmp_path_factory.mktemp("demo-media")
    settings = override_settings(
        DEBUG=True,
        MEDIA_ROOT=media,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), settings, transaction.atomic():
        yield {"output": seed_demo(), "media": media}
        transaction.set_rollback(True)


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (User, EmailAddress, Theme, Promise, Pledge, Post, Comment, Update)
    }


def test_it_creates_promises_in_every_state(demo):
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


def test_it_keeps_every_counter_equal_to_the_counted_pledges(demo):
    for promise in Promise.objects.all():
        assert promise.pledge_count == promise.pledges.participants().count(), promise.city


def test_it_dates_the_story_consistently(demo):
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


def test_it_does_not_duplicate_anything_when_run_twice(demo):
    before = row_counts()

    output = seed_demo()

    assert row_counts() == before
    assert "déjà présentes" in output


def test_it_says_what_it_made_and_how_long_it_took(demo):
    assert "13 promesses, 260 participants" in demo["output"]
    assert " s)." in demo["output"]


def test_it_prints_the_address_and_the_demo_accounts(demo):
    output = demo["output"]

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

    before = User.objects.count()

    with pytest.raises(CommandError):
        seed_demo()

    assert User.objects.count() == before


def test_it_finishes_a_promise_with_a_published_recap(demo):
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


def test_it_fills_discussions_with_replies_from_participants(demo):
    with_replies = Promise.objects.filter(posts__comments__isnull=False).distinct()
    assert with_replies.count() >= 5
    now = timezone.now()
    for post in Post.objects.select_related("promise").prefetch_related("comments"):
        promise = post.promise
        # Written by someone who took part (initiators included), after pledging, in the past.
        pledge = promise.pledges.get(user=post.author_id)
        assert pledge.activated_at <= post.created_at <= now, promise.city
        assert promise.created_at < post.created_at
        for comment in post.comments.all():
            assert promise.pledges.filter(user=comment.author_id).exists(), promise.city
            assert post.created_at < comment.created_at <= now, promise.city
    # Spread over the past weeks, not stamped at the time the command ran.
    days = {timezone.localdate(at) for at in Post.objects.values_list("created_at", flat=True)}
    assert len(days) >= 10
    assert Post.objects.filter(is_pinned=True).exists()


def test_it_posts_photos_that_are_not_all_the_same(demo):
    photos = Post.objects.with_photo()
    assert photos.values("promise").distinct().count() >= 5
    digests = set()
    for post in photos:
        content = (demo["media"] / post.photo.name).read_bytes()
        # Processed like an upload: re-encoded to WebP, with a thumbnail.
        assert content[8:12] == b"WEBP"
        assert post.thumbnail and post.photo_width and post.photo_height
        digests.add(hashlib.sha256(content).hexdigest())
    assert len(digests) == photos.count() >= 10


def test_it_publishes_news_from_the_initiators(demo):
    assert Update.objects.values("promise").distinct().count() >= 5
    assert Update.objects.exclude(photo="").exists()
    now = timezone.now()
    for update in Update.objects.select_related("promise"):
        assert update.promise.pledges.filter(user=update.author_id, is_initiator=True).exists()
        assert update.promise.created_at < update.created_at < now


def test_it_keeps_promises_with_comments_and_photos_after_the_action(demo):
    kept = Pledge.objects.exclude(kept_at=None).select_related("promise")
    assert {pledge.promise.state for pledge in kept} == {
        Promise.State.REACHED,
        Promise.State.FINISHED,
    }
    for pledge in kept:
        assert pledge.status == Pledge.Status.ACTIVE
        assert pledge.kept_at.date() >= pledge.promise.action_date
    said = Post.objects.filter(text__startswith="J'ai tenu ma promesse !")
    assert said.count() >= 4
    assert said.exclude(photo="").exists()
    for post in said:
        pledge = Pledge.objects.get(promise=post.promise_id, user=post.author_id)
        assert post.created_at == pledge.kept_at


def test_it_records_abandons_with_their_reason(demo):
    abandoned = Pledge.objects.filter(status=Pledge.Status.ABANDONED)
    assert abandoned.count() >= 4
    assert not abandoned.filter(abandon_reason="").exists()


def test_it_sends_none_of_the_past_emails(demo):
    # Posts of initiators, replies, news, reached, bilan…: every broadcast of the demo is gone.
    assert not Broadcast.objects.exists()


def test_it_has_an_association_and_a_company_with_an_internal_promise(demo):
    from django.contrib.auth.models import AnonymousUser

    from organisations.models import Membership, Organisation

    association = Organisation.objects.get(kind=Organisation.Kind.ASSOCIATION)
    company = Organisation.objects.get(kind=Organisation.Kind.COMPANY)
    beach = Promise.objects.get(action__contains="plage de Biscarosse")
    assert beach.organisation == association
    assert beach.visibility == Promise.Visibility.PUBLIC
    internal = Promise.objects.get(organisation=company)
    assert internal.visibility == Promise.Visibility.MEMBERS
    members = set(Membership.objects.filter(organisation=company).values_list("user", flat=True))
    assert set(internal.pledges.values_list("user", flat=True)) <= members
    assert internal.pledge_count == 8
    assert not Promise.objects.visible_to(AnonymousUser()).filter(pk=internal.pk).exists()


def test_the_company_backs_a_public_promise(demo):
    from promises.models import Commitment

    commitment = Commitment.objects.get()
    assert commitment.state == Commitment.State.ACCEPTED
    assert commitment.organisation.name == "Cap Vert Énergie"
    assert commitment.promise.city == "Strasbourg"
