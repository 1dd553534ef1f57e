"""Celery wrappers around billing's daily jobs. Each organization runs on its own calendar day."""

from celery import shared_task

from accounts.models import Organization
from accounts.tenancy import organization_clock

from .services.late_fees import late_fees_assess
from .services.rent import rent_post_due


def _for_each_organization(job, organization_id: int | None) -> int:
    """Runs ``job`` for each organization (or one) on its own clock and date; returns how many entries it wrote."""
    organizations = Organization.objects.order_by("pk")
    if organization_id is not None:
        organizations = organizations.filter(pk=organization_id)
    written = 0
    for organization in organizations:
        with organization_clock(organization):
            written += len(job(on=organization.today(), organization=organization))
    return written


@shared_task
def post_rent_due(organization_id: int | None = None) -> int:
    """Posts the rent due today in each organization (or one). Returns how many entries were written."""
    return _for_each_organization(rent_post_due, organization_id)


@shared_task
def assess_late_fees(organization_id: int | None = None) -> int:
    """Posts today's late fees in each organization (or one). Returns how many fees were written."""
    return _for_each_organization(late_fees_assess, organization_id)
