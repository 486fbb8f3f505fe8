"""The promises' periodic work is on the one static beat schedule, beside the outbox's."""

from onpromet.celery import app


def test_it_runs_the_lifecycle_sweep_periodically():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"promises.tasks.sweep", "notifications.tasks.sweep"} <= tasks
