"""The recap reminder: initiators who have not published the bilan two weeks after the end of
the action get one reminder, through the outbox, sent by the periodic sweep."""

import datetime

import pytest
import time_machine

from notifications.models import Broadcast
from notifications.tasks import send_broadcast
from promises import services
from promises.emails import RECAP_REMINDER
from promises.models import Promise
from promises.tasks import sweep
from promises.tests.factories import reach
from promises.tests.scenarios import paris
from promises.tests.test_action_reminder import at_once


@pytest.fixture
def reached(promise):
    """Reached on 6 March 2026 at noon (Paris)."""
    with time_machine.travel(paris(6), tick=False):
        reach(promise)
    return promise


def _remind_at(moment: datetime.datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return services.recap_reminders_send()


def _reminders(promise) -> int:
    return Broadcast.objects.filter(promise=promise, kind=RECAP_REMINDER).count()


def test_it_reminds_two_weeks_after_the_last_day_of_the_action(reached):
    Promise.objects.filter(pk=reached.pk).update(
        action_date=datetime.date(2026, 3, 8), action_end_date=datetime.date(2026, 3, 10)
    )

    assert _remind_at(paris(23, 23)) == 0  # 13 days after
    assert _remind_at(paris(24, 0)) == 1  # the fourteenth day begins

    reminder = Broadcast.objects.get(promise=reached, kind=RECAP_REMINDER)
    assert reminder.created_at == paris(24, 0)
    assert _reminders(reached) == 1


def test_it_counts_from_the_action_day_without_an_end(reached):
    Promise.objects.filter(pk=reached.pk).update(action_date=datetime.date(2026, 3, 12))

    assert _remind_at(paris(25, 23)) == 0
    assert _remind_at(paris(26, 8)) == 1


def test_it_counts_from_the_objective_reached_without_an_action_date(reached):
    assert _remind_at(paris(19, 23)) == 0
    assert _remind_at(paris(20, 8)) == 1


def test_it_reminds_once_even_when_the_sweep_runs_twice(reached):
    with time_machine.travel(paris(30), tick=False):
        first, second = sweep(), sweep()

    assert (first["recap_reminded"], second["recap_reminded"]) == (1, 0)
    assert _reminders(reached) == 1
    # And again a week later: still one.
    assert _remind_at(paris(6, month=4)) == 0
    assert _reminders(reached) == 1


def test_it_reminds_when_the_recap_is_only_a_draft(reached, initiator):
    services.recap_save(promise=reached, author=initiator, text="Pas fini")

    assert _remind_at(paris(30)) == 1


def test_it_does_not_remind_once_the_recap_is_published(reached, initiator):
    services.recap_save(promise=reached, author=initiator, text="Fini")
    services.recap_publish(promise=reached)

    assert _remind_at(paris(30)) == 0
    assert _reminders(reached) == 0


def test_it_does_not_remind_for_a_promise_that_failed(pledged):
    Promise.objects.filter(pk=pledged.pk).update(
        state=Promise.State.FAILED, action_date=datetime.date(2026, 1, 1)
    )

    assert _remind_at(paris(30)) == 0


@pytest.mark.django_db(transaction=True)
def test_it_reminds_once_when_two_sweeps_run_at_once(promise):
    with time_machine.travel(paris(6), tick=False):
        reach(promise)
    with time_machine.travel(paris(30), tick=False):
        assert at_once(services.recap_reminders_send) == [0, 1]
    assert _reminders(promise) == 1


def test_it_does_not_send_the_reminder_once_the_recap_is_published_meanwhile(
    smtp, reached, initiator
):
    # Between the sweep's reminder and the worker, an initiator publishes the bilan.
    assert _remind_at(paris(30)) == 1
    services.recap_save(promise=reached, author=initiator, text="Fini")
    services.recap_publish(promise=reached)

    totals = send_broadcast(Broadcast.objects.get(promise=reached, kind=RECAP_REMINDER).pk)

    assert totals["sent"] == 0
    assert smtp.messages == []
