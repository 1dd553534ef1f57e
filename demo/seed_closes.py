"""Demo month closes: the operator has closed the older past months, so the reports page shows closed months with
their stored reports and SHA-256, and last month waiting to be closed (the month-end job's reminder).

Runs last: every seed step that posts ledger entries must have run, since nothing can be dated into a closed month
afterwards. A second run closes nothing twice; a later run carries the closes on, in order, to the same distance
from today.
"""

from datetime import timedelta

from accounts.models import Organization, Role
from reports.metrics import Month
from reports.services import closed_through, month_close

# Months closed, counted back from the month before last: last month stays open for the operator to close.
CLOSED_MONTHS = 3


def seed(organization: Organization, *, months: int = CLOSED_MONTHS) -> None:
    operator = organization.memberships.filter(role=Role.OPERATOR).order_by("pk").first()
    newest = Month.of(organization.today()).previous().previous()
    oldest = newest
    for _ in range(months - 1):
        oldest = oldest.previous()
    through = closed_through(organization.pk)
    month = Month.of(through + timedelta(days=1)) if through is not None else oldest
    while month.first <= newest.first:
        month_close(actor=operator, organization=organization, month=month)
        month = Month.of(month.next_first)
