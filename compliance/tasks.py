from celery import shared_task

from .services.reminders import certification_reminders_send


@shared_task
def send_certification_reminders() -> int:
    """Daily: the certification digest (lapsing documents, kits, extinguisher service; overdue checks). Idempotent."""
    return certification_reminders_send()
