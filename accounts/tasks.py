"""Thin Celery tasks of accounts: they take ids, call services, and are safe to run twice."""

from importlib import import_module

from celery import shared_task
from django.conf import settings

from . import export, retention


@shared_task(ignore_result=True)
def build_data_export(export_id: int) -> bool:
    """Build one archive and email its owner (nothing if it is built already)."""
    return export.data_export_build(export_id=export_id)


@shared_task(ignore_result=True)
def data_exports_sweep() -> dict[str, int]:
    """Periodic (Celery beat): hand the requests that no worker built (the broker was down at
    the time, the task was lost) to a worker again, and delete the archives whose week has
    passed."""
    pending = export.data_exports_pending()
    for export_id in pending:
        export.enqueue_build(export_id=export_id)
    return {"enqueued": len(pending), "deleted": export.data_exports_purge()}


@shared_task(ignore_result=True)
def retention_sweep() -> dict[str, int]:
    """Periodic (Celery beat): delete accounts never confirmed, 30 days after sign-up, and the
    sessions that have expired (Django leaves their rows to `clearsessions`)."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return {"deleted": retention.unconfirmed_accounts_delete()}
