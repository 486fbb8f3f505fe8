"""The reminder the day before the action: from 9:00 in Europe/Paris, for reached promises,
once per promise however often the sweep runs, through the outbox."""

import datetime
import zoneinfo

import pytest
import time_machine

from notifications.models import Broadcast
from notifications.tasks import send_broadcast
from promises import services
from promises.emails import ACTION_REMINDER
from promises.models import Promise
from promises.tasks import sweep
from promises.tests.factories import reach
from promises.tests.helpers import race

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# Before the promise's deadline (30 days), so that the sweep does not fail it meanwhile.
ACTION_DAY = datetime.date.today() + datetime.timedelta(days=10)


def _at(days_before: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = ACTION_DAY - datetime.timedelta(days=days_before)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def at_once(send) -> list[int]:
    """What two sweeps running `send` at the same moment return, sorted."""
    results = []
    assert race(lambda: results.append(send()), [(), ()]) == []
    return sorted(results)


def _reminders():
    return Broadcast.objects.filter(kind=ACTION_REMINDER)


def _with_action(promise):
    Promise.objects.filter(pk=promise.pk).update(action_date=ACTION_DAY)
    promise.refresh_from_db()
    return promise


def test_it_reminds_once_from_nine_the_day_before(promise):
    reach(_with_action(promise))
    with time_machine.travel(_at(1, 8, 59), tick=False) as traveller:
        sweep()
        assert not _reminders().exists()
        traveller.move_to(_at(1, 9, 0))
        assert sweep()["reminded"] == 1
        assert sweep()["reminded"] == 0  # beat runs again: nothing more
        traveller.move_to(_at(1, 23, 30))
        sweep()
    assert _reminders().count() == 1


def test_it_does_not_remind_on_the_day_or_for_an_open_promise(promise):
    _with_action(promise)
    with time_machine.travel(_at(1, 10), tick=False):
        sweep()  # not reached: the action does not happen
    reach(promise)
    with time_machine.travel(_at(0, 10), tick=False):
        sweep()  # the day itself: too late for "c'est demain"
    assert not _reminders().exists()


def test_it_emails_everyone_active_with_the_agenda_link(smtp, promise, initiator):
    people = reach(_with_action(promise))
    with time_machine.travel(_at(1, 9, 30), tick=False):
        sweep()
        totals = send_broadcast(_reminders().get().pk)
        send_broadcast(_reminders().get().pk)
    assert totals["sent"] == len(people) + 1
    assert sorted(smtp.recipients) == sorted([initiator.email, *(u.email for u in people)])
    message = smtp.messages[0]
    assert message["Subject"].startswith("C'est demain")
    text = message.get_body(("plain",)).get_content()
    assert promise.action_when in text
    assert f"/promesses/{promise.slug}/agenda.ics" in text


@pytest.mark.django_db(transaction=True)
def test_it_reminds_once_when_two_sweeps_run_at_once(promise):
    reach(_with_action(promise))
    with time_machine.travel(_at(1, 9, 30), tick=False):
        assert at_once(services.action_reminders_send) == [0, 1]
    assert _reminders().count() == 1
