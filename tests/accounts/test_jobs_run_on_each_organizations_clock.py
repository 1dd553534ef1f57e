"""Issue 12, requirement 3 (one clock): background jobs read each organization's own calendar, not the worker's UTC.

The instant: 8:00 a.m. UTC on December 1, 2026. In Honolulu it is still 10 p.m. on November 30; in Chicago it is
2 a.m. on December 1; in Tokyo, 5 p.m. on December 1. November is over in Chicago and Tokyo, not yet in Honolulu.
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Role
from billing import tasks as billing_tasks
from billing.models import EntryKind, HouseBillingPolicy, LateFeeKind, LedgerEntry, RentPeriod
from reports import services as report_services
from reports import tasks as report_tasks
from reports.metrics import Month, monthly_metrics
from reports.models import Report
from residents.core.services import applications as application_services
from residents.core.services import stays as stay_services
from residents.models import Application
from tests.factories import HouseFactory, MembershipFactory, OrganizationFactory, ResidentFactory

INSTANT = datetime(2026, 12, 1, 8, tzinfo=UTC)
ZONES = {"honolulu": "Pacific/Honolulu", "chicago": "America/Chicago", "tokyo": "Asia/Tokyo"}


def _at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def organizations(db):
    """One organization per time zone, each with a house whose rent ($900 a month, due on the 1st) is set, and a
    resident living there since November 1 (on that organization's calendar)."""
    made = {}
    for slug, zone in ZONES.items():
        organization = OrganizationFactory(name=slug.title(), slug=slug, timezone=zone)
        operator = MembershipFactory(organization=organization, role=Role.OPERATOR)
        with _at(datetime(2026, 11, 1, 9, tzinfo=ZoneInfo(zone))):
            house = HouseFactory(organization=organization, name=f"{slug.title()} House", beds=2)
            HouseBillingPolicy.objects.create(
                organization=organization, house=house, rent_amount=Decimal("900.00"), rent_period=RentPeriod.MONTHLY,
                rent_due_day=1, deposit_amount=Decimal("0.00"), late_fee_kind=LateFeeKind.NONE, late_fee_grace_days=5,
            )  # fmt: skip
            resident = ResidentFactory(organization=organization)
            stay = stay_services.stay_admit(
                actor=operator, resident=resident, bed=house.beds.order_by("pk").first(), on=date(2026, 11, 1)
            )
        made[slug] = {"organization": organization, "operator": operator, "house": house, "stay": stay}
    return made


def test_the_month_end_job_reports_the_month_each_organization_has_just_finished(organizations):
    with _at(INSTANT):
        report_tasks.month_end_reports.delay().get()
    months = {slug: Report.objects.get(organization=made["organization"]).month for slug, made in organizations.items()}
    assert months == {"honolulu": date(2026, 10, 1), "chicago": date(2026, 11, 1), "tokyo": date(2026, 11, 1)}


def test_the_month_end_report_is_rendered_on_its_organizations_clock(organizations, monkeypatch):
    clocks = {}

    def generate(*, report_id):
        report = Report.objects.select_related("organization").get(pk=report_id)
        clocks[report.organization.slug] = timezone.get_current_timezone_name()
        return report

    monkeypatch.setattr(report_services, "report_generate", generate)
    with _at(INSTANT):
        for report in report_services.month_end_reports():
            report_tasks.generate_report.delay(report.pk).get()
    assert clocks == ZONES


def test_the_waitlist_at_a_months_end_is_counted_on_the_organizations_calendar_in_a_job(organizations):
    honolulu = organizations["honolulu"]
    # 8 p.m. on October 31 in Honolulu is already November 1 in UTC: still waiting when Honolulu's October ended.
    with _at(datetime(2026, 10, 31, 20, tzinfo=ZoneInfo("Pacific/Honolulu"))):
        application = application_services.application_create(
            actor=honolulu["operator"], first_name="Kai", last_name="Akana", phone="555-0101",
            preferred_house=honolulu["house"], applied_on=date(2026, 10, 31),
        )  # fmt: skip
        application_services.application_move(
            actor=honolulu["operator"], application=application, to=Application.Status.WAITLISTED
        )
    # A worker's clock is UTC.
    with _at(INSTANT), timezone.override(UTC):
        october = monthly_metrics(organization=honolulu["organization"], month=Month(2026, 10))
    assert october["totals"]["occupancy"]["waitlist"] == 1


def _december_rent(made):
    return LedgerEntry.objects.filter(stay=made["stay"], kind=EntryKind.RENT, effective_on=date(2026, 12, 1))


def test_the_rent_job_posts_decembers_rent_only_where_december_has_begun(organizations):
    with _at(INSTANT):
        billing_tasks.post_rent_due.delay().get()
    posted = {slug: _december_rent(made).exists() for slug, made in organizations.items()}
    assert posted == {"honolulu": False, "chicago": True, "tokyo": True}


def test_the_rent_job_posts_honolulus_december_rent_after_its_own_midnight(organizations):
    with _at(INSTANT):
        billing_tasks.post_rent_due.delay().get()
    with _at(datetime(2026, 12, 1, 0, 30, tzinfo=ZoneInfo("Pacific/Honolulu"))):
        billing_tasks.post_rent_due.delay().get()
    assert _december_rent(organizations["honolulu"]).get().amount == Decimal("900.00")
