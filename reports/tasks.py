"""The reports' background jobs. A job a service queues sits beside that service (``reports.services``) and is
imported here so the worker finds it; this module imports the services, never the other way round."""

from celery import shared_task

from . import services
from .services import assemble_report, email_report_ready, generate_report, render_report_part  # noqa: F401 - so the worker knows the tasks


@shared_task
def month_end_reports() -> int:
    """On the 1st: last month's report for every organization, each by its own calendar (see the service)."""
    return len(services.month_end_reports())


@shared_task
def requeue_stuck_reports() -> int:
    """Every five minutes: reports left "running" by a worker that died are queued again (see the service)."""
    return len(services.reports_requeue_stuck())
