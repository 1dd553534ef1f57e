"""The demo's month of applications (demo/seed_intake.py, demo/seed_partners.py) shows in the referrals section of
the monthly report: every application received before today, with reply times and partner rows."""

from datetime import datetime, time

import pytest

from accounts.models import Organization
from reports.metrics import Month, monthly_metrics
from residents.models import Application


@pytest.fixture
def organization(demo_db):
    return Organization.objects.get(slug="second-wind")


@pytest.fixture
def two_months(organization):
    """Last month and this month to date: the demo's applications arrived over the last 30 days."""
    this_month = Month.of(organization.today())
    months = [this_month.previous()]
    if organization.today().day > 1:  # on the 1st the month has no night behind it yet
        months.append(this_month)
    return [monthly_metrics(organization=organization, month=month)["totals"]["referrals"] for month in months]


def test_the_report_counts_every_demo_application_received_before_today(organization, two_months):
    since = datetime.combine(Month.of(organization.today()).previous().first, time.min, tzinfo=organization.tzinfo)
    before = datetime.combine(organization.today(), time.min, tzinfo=organization.tzinfo)
    arrived = Application.objects.filter(organization=organization, received_at__gte=since, received_at__lt=before)
    assert sum(figures["received"] for figures in two_months) == arrived.count() > 0


def test_the_demo_shows_reply_times_and_referral_partners(two_months):
    assert any(figures["median_hours_to_reply"] is not None for figures in two_months)
    assert any(figures["by_partner"] for figures in two_months)


def test_the_partner_rows_add_up_to_the_applications_partners_referred(two_months):
    """The partners' own referrals and those their advice brought by phone (recorded by staff, naming the partner)
    alike: every month's partner rows count every application referred by a partner."""
    for figures in two_months:
        assert sum(row["received"] for row in figures["by_partner"]) == figures["by_source"]["partner"]
    assert any(figures["by_source"]["partner"] for figures in two_months)
