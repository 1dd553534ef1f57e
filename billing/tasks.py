"""Celery wrappers around billing's daily jobs. Each organization runs on its own calendar day."""

from celery import shared_task

from accounts.models import Organization

from .services.late_fees import late_fees_assess
from .services.rent import rent_post_due


@shared_task
def post_rent_due(organization_id: int | None = None) -> int:
    """Posts the rent due today in each organization (or one). Returns how many entries were written."""
    organizations = Organization.objects.all()
    if organization_id is not None:
        organizations = organizations.filter(pk=organization_id)
    return sum(len(rent_post_due(on=org.today(), organization=org)) for org in organizations)


@shared_task
def assess_late_fees(organization_id: int | None = None) -> int:
    """Posts today's late fees in each organization (or one). Returns how many fees were written."""
    organizations = Organization.objects.all()
    if organization_id is not None:
        organizations = organizations.filter(pk=organization_id)
    return sum(len(late_fees_assess(on=org.today(), organization=org)) for org in organizations)
