"""Celery wrappers around billing's daily jobs. Each organization runs on its own calendar day.

A job a service queues (a receipt, a refund of an overpayment, late fees a failed payment held off) sits beside
that service and is imported here so the worker finds it: this module imports the services, never the reverse."""

from celery import shared_task

from accounts.models import Organization
from accounts.tenancy import organization_clock

from .services.autopay import autopay_setup_finish_task  # noqa: F401 - so the worker knows the task
from .services.autopay_charges import autopay_charges_run
from .services.late_fees import assess_held_late_fees, late_fees_assess  # noqa: F401 - tasks beside their services
from .services.online_refunds import online_refunds_retry, refund_online_overpayment  # noqa: F401
from .services.payment_alerts import payment_alert_notify  # noqa: F401 - so the worker knows the task
from .services.rent import rent_post_due
from .services.rent_notices import rent_notices_send, send_receipt  # noqa: F401
from .services.stripe_events import receive_stripe_event, stripe_events_sweep  # noqa: F401 - the worker's


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


@shared_task
def charge_autopay(organization_id: int | None = None) -> int:
    """Charges today's rent of residents with autopay on, and retries the failed autopay charges that are due, in
    each organization (or one). Returns how many charges were tried."""
    return _for_each_organization(autopay_charges_run, organization_id)


@shared_task
def sweep_stripe_events() -> int:
    """Applies the Stripe events no delivery finished (a worker that died, an error since gone), each once, and asks
    Stripe again for refunds it did not confirm. Returns how many events it applied."""
    applied = stripe_events_sweep()
    online_refunds_retry()
    return applied


@shared_task
def send_rent_notices(organization_id: int | None = None) -> int:
    """E-mails today's rent reminders in each organization (or one). Returns how many were sent."""
    return _for_each_organization(rent_notices_send, organization_id)
