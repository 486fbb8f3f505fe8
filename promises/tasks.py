"""The promises' periodic work (Celery beat, onpromet.settings.CELERY_BEAT_SCHEDULE): a thin
task over the services, safe to run twice or in parallel (each step claims what it changes)."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def sweep() -> dict[str, int]:
    """Fail promises past their deadline, reach promises whose count met the objective without
    the transition, remind participants the day before the action, remind initiators whose
    bilan is still unpublished two weeks after the action. Their emails go through the outbox,
    whose own sweep (notifications.tasks.sweep) catches any broadcast left behind."""
    return {
        "failed": services.promises_fail_expired(),
        "reached": services.promises_reach_overdue(),
        "reminded": services.action_reminders_send(),
        "recap_reminded": services.recap_reminders_send(),
    }
