"""The one source of truth for reported numbers. The API, the pages and the PDFs all read figures from here.

Each section module (occupancy, ...) computes its figures per house with grouped aggregate queries (a constant
number of queries whatever the number of houses) and derives organization totals from the per-house parts, so
the totals always equal what the houses add up to. Every figure is defined in its module's docstring.
"""

import hashlib
import json
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q

from accounts.models import Organization
from houses.models import House

from . import compliance, money, occupancy, referrals
from .period import Month

# (name, module): each module has ``by_house(houses=, month=, organization=)``, ``total(per_house, month=,
# organization=)`` and ``public(figures)``. Apps that read everything (certification) add theirs with
# ``register_section`` from their AppConfig.ready, so reports never imports them.
SECTIONS = [("occupancy", occupancy), ("compliance", compliance), ("money", money), ("referrals", referrals)]


def register_section(name: str, module) -> None:
    if name not in dict(SECTIONS):
        SECTIONS.append((name, module))


def reportable(*, organization: Organization, month: Month) -> Month:
    """``month`` as it can be reported today on the organization's calendar: whole once over, to date (through last
    night) while it runs. ValueError, with a message for a person, for a month with no night over yet. A month
    given with its own ``through`` is kept as given."""
    if month.through is not None:
        return month
    return month.as_of(organization.today())


def monthly_metrics(*, organization: Organization, month: Month, house: House | None = None) -> dict:
    """Every section's figures for the month: organization (or house) totals plus one entry per house.

    The running month is reported to date: ``through`` is the last night counted (a whole month's last day) and
    ``partial`` says whether the month is still running. A month with no night over yet is a ValueError."""
    month = reportable(organization=organization, month=month)
    # Houses opened by the month's end: a house added today adds no row to a month before it. A closed house stays
    # listed (its money can still move after it closes).
    opened = Q(opened_on__isnull=True) | Q(opened_on__lt=month.end)
    houses = House.objects.filter(opened, organization=organization).order_by("name", "pk")
    if house is not None:
        houses = houses.filter(pk=house.pk)
    house_rows = list(houses.values("pk", "name"))
    per_section = {
        name: module.by_house(houses=houses, month=month, organization=organization) for name, module in SECTIONS
    }
    totals = {
        name: module.public(_total(module, per_section[name], month=month, organization=organization, house=house))
        for name, module in SECTIONS
    }
    return {
        "organization": {"id": organization.pk, "name": organization.name, "currency": organization.currency},
        "month": str(month),
        "through": month.end - timedelta(days=1),
        "partial": month.is_partial,
        "scope": "house" if house is not None else "organization",
        "totals": totals,
        "houses": [
            {
                "id": row["pk"],
                "name": row["name"],
                **{name: module.public(per_section[name][row["pk"]]) for name, module in SECTIONS},
            }
            for row in house_rows
        ],
    }


def _total(module, per_house: dict, *, month: Month, organization: Organization, house: House | None):
    """A section's totals. A section that also counts what belongs to no house (``COUNTS_OUTSIDE_HOUSES``, such as
    applications that name no house) is told whether the report covers the whole organization."""
    if getattr(module, "COUNTS_OUTSIDE_HOUSES", False):
        return module.total(per_house, month=month, organization=organization, whole_organization=house is None)
    return module.total(per_house, month=month, organization=organization)


def as_json(value):
    """The figures with decimals as strings ("225.00"), so money never travels as a float, and dates as
    "YYYY-MM-DD"."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def fingerprint(metrics: dict) -> str:
    """A digest of the figures: equal figures, equal fingerprint."""
    return hashlib.sha256(json.dumps(metrics, sort_keys=True, default=str).encode()).hexdigest()


__all__ = ["Month", "as_json", "fingerprint", "monthly_metrics", "register_section", "reportable"]
