from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def fail_expired_promises() -> int:
    """Periodic: open promises whose deadline has passed below their objective fail."""
    return services.promises_fail_expired()
