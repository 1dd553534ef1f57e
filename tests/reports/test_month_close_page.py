"""Month close on the reports page: operators close and reopen with the page's own forms and see the stored report's
SHA-256; managers get neither form. Today is June 15, 2026."""

from datetime import date

import lxml.html
import pytest
from django.test import TestCase

from accounts.models import AuditEntry
from reports.metrics import Month
from reports.models import MonthClose, Report
from reports.services import month_close
from tests.clock import local_moment, module_clock

from .conftest import module_world

_clock = module_clock(local_moment(2026, 6, 15))

PAGE = "/dashboard/reports/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def operator_page(page, operator):
    return page(operator)


def may_closed(operator, organization, house):
    month_close(actor=operator, organization=organization, month=Month(2026, 4))
    with TestCase.captureOnCommitCallbacks(execute=True):
        return month_close(actor=operator, organization=organization, month=Month(2026, 5))


# April and May closed (May's report made) once for the module (tests/reports/conftest.py): each test asking for
# ``may_closed`` gets its own copy of that world, and its writes roll back; the roles are the world's then, made afresh
# for the other tests.
globals().update(
    module_world(
        ["organization", "house", "operator", "manager"],
        {"may_closed": may_closed},
        asked_by=["may_closed"],
        at=local_moment(2026, 6, 15),
    )
)


def _month_choices(html: str) -> list[str]:
    document = lxml.html.fromstring(html)
    return [option.get("value") for option in document.cssselect("select[name='close-month'] option")]


def test_an_operator_closes_a_month_with_the_pages_form(
    operator_page, house, organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_page.submit(PAGE, {"close-month": "2026-05"}, button="Close month")
    assert response.status_code == 302
    close = MonthClose.objects.get()
    assert (close.month, close.report.status) == (date(2026, 5, 1), Report.Status.DONE)
    html = operator_page.get(response["Location"]).content.decode()
    assert "May 2026 is closed: nothing can be dated into it now" in html
    assert "The books are closed through <strong>May 2026</strong>." in html
    assert close.report.sha256 in html
    assert AuditEntry.objects.get(object_type="reports.monthclose").detail == "Closed May 2026"


def test_before_any_close_the_form_offers_every_month_that_is_over(operator_page):
    choices = _month_choices(operator_page.get(PAGE).content.decode())
    assert choices[0] == "2026-05"
    assert "2026-06" not in choices
    assert len(choices) == 13


def test_after_a_close_the_form_offers_only_the_next_month(operator_page, operator, organization):
    month_close(actor=operator, organization=organization, month=Month(2026, 3))
    assert _month_choices(operator_page.get(PAGE).content.decode()) == ["2026-04"]


def test_once_closed_through_last_month_no_month_is_offered(operator_page, may_closed):
    html = operator_page.get(PAGE).content.decode()
    assert _month_choices(html) == []
    assert "The next month can be closed once it is over." in html


def test_the_reports_list_shows_each_reports_sha256(operator_page, may_closed):
    html = operator_page.get(PAGE).content.decode()
    report = Report.objects.get(pk=may_closed.report_id)
    assert f'SHA-256 <code class="hash">{report.sha256}</code>' in html


def test_an_operator_reopens_the_latest_month_with_a_reason_and_its_report_shows_superseded(operator_page, may_closed):
    response = operator_page.submit(PAGE, {"reopen-reason": "A May check was missed"}, button="Reopen May 2026")
    assert response.status_code == 302
    may_closed.refresh_from_db()
    assert may_closed.reopen_reason == "A May check was missed"
    assert may_closed.report.superseded_at is not None
    audit = AuditEntry.objects.get(object_type="reports.monthclose", action="update")
    assert audit.detail == "Reopened May 2026: A May check was missed"
    html = operator_page.get(response["Location"]).content.decode()
    assert "Superseded" in html
    assert "The books are closed through <strong>April 2026</strong>." in html


def test_reopening_without_a_reason_is_refused_beside_the_field(operator_page, may_closed):
    response = operator_page.submit(PAGE, {"reopen-reason": ""}, button="Reopen May 2026")
    assert response.status_code == 400
    assert 'id="id_reopen-reason_error"' in response.content.decode()
    may_closed.refresh_from_db()
    assert may_closed.reopened_at is None


def test_a_manager_gets_no_close_or_reopen_form_and_cannot_post_one(page, manager, may_closed):
    client = page(manager)
    html = client.get(PAGE).content.decode()
    assert "Close month" not in html
    assert "Reopen" not in html
    # A forged post, the form being absent: refused, nothing changes.
    assert client.post("/dashboard/reports/close/", {"close-month": "2026-06"}).status_code == 403
    reopen = {"reopen-close": may_closed.pk, "reopen-reason": "Mine"}
    assert client.post("/dashboard/reports/reopen/", reopen).status_code == 403
    may_closed.refresh_from_db()
    assert may_closed.reopened_at is None


def test_the_page_costs_the_same_queries_for_any_number_of_closes(
    operator_page, operator, organization, django_assert_max_num_queries
):
    month_close(actor=operator, organization=organization, month=Month(2026, 1))
    with django_assert_max_num_queries(40) as few:
        operator_page.get(PAGE)
    for month in (2, 3, 4, 5):
        month_close(actor=operator, organization=organization, month=Month(2026, month))
    with django_assert_max_num_queries(len(few.captured_queries)):
        operator_page.get(PAGE)
