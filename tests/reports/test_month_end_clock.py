"""Issue 12, requirement 3 (one clock): the month-end job, its e-mail and the certification reminders work for each
organization on that organization's clock, whatever the worker's (UTC).

The instant: 5:00 a.m. UTC on July 1, 2026: 7 p.m. on June 30 in Honolulu, 2 p.m. on July 1 in Tokyo."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Role
from compliance.services import reminders
from reports import services as report_services
from reports import tasks as report_tasks
from reports.metrics import Month
from tests.factories import MembershipFactory, OrganizationFactory

INSTANT = datetime(2026, 7, 1, 5, tzinfo=UTC)
ZONES = {"honolulu": "Pacific/Honolulu", "tokyo": "Asia/Tokyo"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def organizations(db):
    made = {}
    for slug, zone in ZONES.items():
        made[slug] = OrganizationFactory(name=slug.title(), slug=slug, timezone=zone)
        MembershipFactory(organization=made[slug], role=Role.OPERATOR)
    return made


def _observe(clocks, key):
    clocks[key] = (timezone.get_current_timezone_name(), timezone.localdate())


def test_the_month_end_job_asks_for_each_organizations_report_on_its_own_clock(organizations, monkeypatch):
    clocks, asked = {}, report_services.report_request

    def report_request(*, organization, month, **kwargs):
        _observe(clocks, organization.slug)
        return asked(organization=organization, month=month, **kwargs)

    monkeypatch.setattr(report_services, "report_request", report_request)
    with time_machine.travel(INSTANT, tick=False), timezone.override(UTC):  # a worker's clock is UTC
        report_services.month_end_reports()
    assert clocks == {
        "honolulu": ("Pacific/Honolulu", date(2026, 6, 30)),
        "tokyo": ("Asia/Tokyo", date(2026, 7, 1)),
    }


def test_the_report_ready_email_is_written_on_its_organizations_clock(organizations, monkeypatch):
    clocks = {}
    with time_machine.travel(INSTANT, tick=False):
        report, _ = report_services.report_request(
            actor=None, organization=organizations["honolulu"], month=Month(2026, 5)
        )
        monkeypatch.setattr(report_services, "report_email_operators", lambda **kwargs: _observe(clocks, "e-mail"))
        with timezone.override(UTC):
            report_tasks.email_report_ready.delay(report.pk).get()
    assert clocks == {"e-mail": ("Pacific/Honolulu", date(2026, 6, 30))}


def test_the_certification_reminders_run_on_each_organizations_clock(organizations, monkeypatch):
    clocks = {}

    def items_due(found, days):
        # One organization-wide document per organization, lapsed on that organization's own today.
        return {
            pk: [reminders.Due(house=None, item_type="document", item_id=pk, due_on=day, threshold="lapsed",
                               summary="Fire inspection")]
            for pk, day in days.items()
        }  # fmt: skip

    def send(organization, digests, day):
        clocks[organization.slug] = (timezone.get_current_timezone_name(), timezone.localdate(), day)
        return 0

    monkeypatch.setattr(reminders, "_items_due", items_due)
    monkeypatch.setattr(reminders, "_send", send)
    with time_machine.travel(INSTANT, tick=False), timezone.override(UTC):
        reminders.certification_reminders_send()
    assert clocks == {
        "honolulu": ("Pacific/Honolulu", date(2026, 6, 30), date(2026, 6, 30)),
        "tokyo": ("Asia/Tokyo", date(2026, 7, 1), date(2026, 7, 1)),
    }
