"""The demo shows month close: Second Wind closed the three months before last, each with its stored organization
report, and last month waits on the reports page to be closed. Every test here uses the demo seed."""

import lxml.html
import pytest
from django.contrib.auth import get_user_model

from accounts.models import Organization
from billing.models import LedgerEntry
from reports.metrics import Month
from reports.models import MonthClose, Report


@pytest.fixture
def second_wind(demo_db):
    return Organization.objects.get(slug="second-wind")


def test_the_demo_closed_the_three_months_before_last_each_with_its_report(second_wind):
    last = Month.of(second_wind.today()).previous()
    closes = list(MonthClose.objects.filter(organization=second_wind).order_by("month"))
    expected = [last.previous().previous().previous(), last.previous().previous(), last.previous()]
    assert [Month.of(close.month) for close in closes] == expected
    assert all(close.reopened_at is None for close in closes)
    for close in closes:
        assert (close.report.month, close.report.house, close.report.audience) == (close.month, None, "internal")
        assert close.report.status != Report.Status.FAILED


def test_the_demo_ledger_has_entries_in_the_closed_months_and_none_carried_out_of_them(second_wind):
    closes = MonthClose.objects.filter(organization=second_wind)
    first, last = min(c.month for c in closes), Month.of(max(c.month for c in closes)).last
    entries = LedgerEntry.objects.filter(organization=second_wind)
    assert entries.filter(effective_on__gte=first, effective_on__lte=last).exists()
    assert not entries.filter(occurred_on__isnull=False).exists()


def test_the_demo_operator_is_offered_last_month_to_close(second_wind, client):
    client.force_login(get_user_model().objects.get(email="operator@example.com"))
    html = client.get("/dashboard/reports/").content.decode()
    options = lxml.html.fromstring(html).cssselect("select[name='close-month'] option")
    assert [option.get("value") for option in options] == [str(Month.of(second_wind.today()).previous())]
    closed_through = Month.of(MonthClose.objects.filter(organization=second_wind).latest("month").month)
    assert f"The books are closed through <strong>{closed_through.label}</strong>." in html


def test_the_other_demo_organization_has_closed_nothing(demo_db):
    assert not MonthClose.objects.filter(organization__slug="new-dawn").exists()
