"""Celery jobs of the bed openings. Each organization runs on its own calendar day; every job is idempotent.

The tasks a service queues (offering an opening, e-mailing an offer) sit beside their services and are imported
here so the worker finds them: this module imports the services, never the reverse."""

from celery import shared_task

from accounts.models import Organization
from accounts.tenancy import organization_clock

from .services.digests import partner_digests_send
from .services.offers import offer_next_task, offers_expire, send_waitlist_offer  # noqa: F401 - the worker's
from .services.openings import openings_scan
from .services.public import send_application_acknowledgement  # noqa: F401 - the worker's


def _organizations(organization_id: int | None):
    organizations = Organization.objects.order_by("pk")
    return organizations.filter(pk=organization_id) if organization_id is not None else organizations


@shared_task
def scan_openings(organization_id: int | None = None) -> int:
    """Hourly: calls off the openings whose bed is no longer free (a resident still there past a planned move-out,
    a bed out of service or retired, a house closed), records the beds a recorded or planned move-out within the
    notice days opens, calls off those whose plan changed, then expires unanswered offers and offers each open
    opening to the next applicant. Returns how many offers were made."""
    for organization in _organizations(organization_id):
        with organization_clock(organization):
            openings_scan(organization=organization, on=organization.today())
    return offers_expire()


@shared_task
def send_partner_digests(organization_id: int | None = None) -> int:
    """Daily: each opted-in partner's one digest of new openings, on the organization's date. Returns how many were
    sent."""
    sent = 0
    for organization in _organizations(organization_id):
        with organization_clock(organization):
            sent += len(partner_digests_send(organization=organization, on=organization.today()))
    return sent
