from celery import shared_task
from django.conf import settings

from . import services


@shared_task
def generate_report(report_id: int) -> str:
    return services.report_generate(report_id=report_id).status


@shared_task
def email_report_ready(report_id: int) -> int:
    return services.report_email_operators(report_id=report_id, base_url=settings.SITE_URL)


@shared_task
def month_end_reports() -> int:
    return len(services.month_end_reports())
