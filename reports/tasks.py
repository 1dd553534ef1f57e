from celery import shared_task
from django.conf import settings

from accounts.models import Organization
from accounts.tenancy import organization_clock

from . import services


@shared_task
def generate_report(report_id: int) -> str:
    # The PDF's times (its "generated at" stamp) are on the organization's clock, not the worker's UTC.
    organization = Organization.objects.get(reports__pk=report_id)
    with organization_clock(organization):
        return services.report_generate(report_id=report_id).status


@shared_task
def email_report_ready(report_id: int, announce: bool = True, remind: bool = False) -> int:
    # The e-mail's dates ("close it from ...") are the organization's.
    with organization_clock(Organization.objects.get(reports__pk=report_id)):
        return services.report_email_operators(
            report_id=report_id, base_url=settings.SITE_URL, announce=announce, remind=remind
        )


@shared_task
def month_end_reports() -> int:
    """On the 1st: last month's report for every organization, each by its own calendar (see the service)."""
    return len(services.month_end_reports())
