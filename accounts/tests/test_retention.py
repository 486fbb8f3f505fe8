"""Retention: accounts never confirmed are deleted 30 days after sign-up, with their pending
pledges, in batches; never a staff account, never one with a confirmed address, never one
whose deletion would take away something that counted."""

import datetime
import logging

from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts import retention, tasks
from accounts.models import User
from accounts.tests.factories import UserFactory
from promises import services
from promises.models import Pledge


def joined(days: int, **kwargs) -> User:
    user = UserFactory(**kwargs)
    User.objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - datetime.timedelta(days=days)
    )
    return user


def test_it_deletes_old_unconfirmed_accounts_with_their_pending_pledges(promise, caplog):
    old = joined(31, verified=False)
    services.pledge_create(promise=promise, user=old)
    assert Pledge.objects.get(user=old).status == Pledge.Status.PENDING
    count_before = promise.pledge_count

    with caplog.at_level(logging.INFO, logger="accounts.retention"):
        assert tasks.retention_sweep() == {"deleted": 1}

    assert not User.objects.filter(pk=old.pk).exists()
    assert not Pledge.objects.filter(user_id=old.pk).exists()
    assert not EmailAddress.objects.filter(user_id=old.pk).exists()
    promise.refresh_from_db()
    assert promise.pledge_count == count_before
    assert "1 unconfirmed account(s) deleted" in caplog.text


def test_it_keeps_every_other_account(promise):
    kept = [
        joined(29, verified=False),  # not 30 days yet
        joined(400),  # confirmed
        joined(400, verified=False, is_staff=True),  # a moderator made by hand
        joined(400, verified=False, is_staff=True, is_superuser=True),
    ]
    one_confirmed = joined(400, verified=False)
    EmailAddress.objects.create(user=one_confirmed, email="autre@example.org", verified=True)
    kept.append(one_confirmed)
    # Unconfirmed now, but their pledge counted once (an address changed since): the
    # account deletion's business, not the retention's.
    counted = joined(400)
    services.pledge_create(promise=promise, user=counted)
    EmailAddress.objects.filter(user=counted).update(verified=False)
    kept.append(counted)
    no_address = joined(45, verified=False)
    EmailAddress.objects.filter(user=no_address).delete()

    assert retention.unconfirmed_accounts_delete() == 1
    assert not User.objects.filter(pk=no_address.pk).exists()
    assert set(User.objects.filter(pk__in=[u.pk for u in kept]).values_list("pk", flat=True)) == {
        u.pk for u in kept
    }
    promise.refresh_from_db()
    assert promise.pledge_count == 1


def test_it_works_in_batches(db):
    for _ in range(5):
        joined(60, verified=False)
    assert retention.unconfirmed_accounts_delete(batch_size=2) == 5
    assert retention.unconfirmed_accounts_delete(batch_size=2) == 0
    assert not User.objects.exists()


def test_it_forgets_expired_sessions(client, participant):
    client.force_login(participant)
    Session.objects.create(
        session_key="x" * 40,
        session_data="",
        expire_date=timezone.now() - datetime.timedelta(seconds=1),
    )
    tasks.retention_sweep()
    assert not Session.objects.filter(session_key="x" * 40).exists()
    assert Session.objects.count() == 1  # the live one


def test_the_beat_runs_both_sweeps(settings):
    tasks_in_schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"accounts.tasks.retention_sweep", "accounts.tasks.data_exports_sweep"} <= (
        tasks_in_schedule
    )
