"""The Celery configuration that makes the outbox reliable."""

from django.conf import settings

from onpromet.celery import app


def test_it_acknowledges_late_and_requeues_tasks_of_a_lost_worker():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_it_keeps_time_limits_well_below_the_redis_visibility_timeout():
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit <= visibility / 4
    # A task hands over before its soft limit; a claimed batch outlives a task's budget.
    assert app.conf.task_soft_time_limit > settings.OUTBOX_TASK_BUDGET_SECONDS
    assert settings.OUTBOX_LEASE_SECONDS > settings.OUTBOX_TASK_BUDGET_SECONDS


def test_it_bounds_retries_and_uses_json():
    assert 1 < settings.OUTBOX_MAX_ATTEMPTS <= 10
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]


def test_it_sweeps_periodically():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "notifications.tasks.sweep" in tasks
