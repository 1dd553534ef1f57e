"""The exports' background jobs. The job a service queues sits beside that service (``exports.services``) and is
imported here so the worker finds it; the services never import this module."""

from celery import shared_task

from . import services
from .services import generate_export  # noqa: F401 - so the worker knows the task


@shared_task
def requeue_stuck_exports() -> int:
    """Every five minutes: exports left "running" by a worker that died are queued again (see the service)."""
    return len(services.exports_requeue_stuck())


@shared_task
def expire_exports() -> int:
    """Nightly: stored export zips past EXPORT_KEEP_DAYS are deleted from storage (see the service)."""
    return len(services.exports_expire())
