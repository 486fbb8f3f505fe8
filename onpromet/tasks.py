"""Celery tasks every app may use (autodiscovered: onpromet is an installed app)."""

from celery import shared_task

from .mail import from_payload


@shared_task(
    ignore_result=True,
    autoretry_for=(OSError,),  # SMTP errors and lost connections
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=6,
)
def send_email(payload: dict) -> None:
    """One rendered email (onpromet.mail.email_send_later), retried with back-off if the SMTP
    server fails."""
    from_payload(payload).send()
