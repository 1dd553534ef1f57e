"""Month close through the API: operators close the months that are over, in order; a closed month's report is made
once, stored and downloaded byte for byte; reopening is audit-logged and supersedes it. Today is June 15, 2026."""

import hashlib
from datetime import date

import pytest
from django.test import TestCase

from accounts.models import AuditEntry
from reports import services as reports_services
from reports.metrics import Month, monthly_metrics
from reports.models import MonthClose, Report
from reports.services import month_close
from residents.core.services.stays import stay_admit
from residents.models import BedAssignment
from tests.clock import local_moment, module_clock
from tests.factories import ResidentFactory

from ..conftest import api_client_for
from .conftest import module_world

_clock = module_clock(local_moment(2026, 6, 15))

CLOSES = "/api/v1/month-closes/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def occupied(house, operator, organization):
    bed = house.beds.order_by("pk")[1]  # the first is the resident member's
    stay_admit(actor=operator, resident=ResidentFactory(organization=organization), bed=bed, on=date(2026, 3, 1))
    return house


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """POSTs as a client would, running what the request queues (the report's generation) once it commits."""

    def send(client, path, body):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, body, format="json")

    return send


def may_closed(operator, organization, occupied):
    """April closed (its report left queued), then May through the API: May's close as the API shows it after
    its report was made."""
    month_close(actor=operator, organization=organization, month=Month(2026, 4))
    client = api_client_for(operator)
    with TestCase.captureOnCommitCallbacks(execute=True):  # as ``post`` does
        response = client.post(CLOSES, {"month": "2026-05"}, format="json")
    assert response.status_code == 201
    return client.get(f"{CLOSES}{response.json()['id']}/").json()


# May closed with its report made once for the module (tests/reports/conftest.py): each test asking for ``may_closed``
# gets its own copy of that world, and its writes roll back; ``occupied`` and the roles are the world's then, made
# afresh for the other tests.
globals().update(
    module_world(
        ["organization", "house", "operator", "manager", "resident_member", "outsider"],
        {"occupied": occupied, "may_closed": may_closed},
        asked_by=["may_closed"],
        at=local_moment(2026, 6, 15),
    )
)


def test_an_operator_closes_a_month_and_its_report_is_made_and_stored(may_closed):
    assert may_closed["month"] == "2026-05"
    assert may_closed["in_force"] is True
    assert may_closed["closed_by_name"] == "Olivia Operator"
    assert may_closed["report_status"] == "done"
    report = Report.objects.get(pk=may_closed["report"])
    assert (report.month, report.house, report.audience) == (date(2026, 5, 1), None, "internal")
    assert may_closed["report_sha256"] == report.sha256 != ""


def test_closing_is_audit_logged(may_closed):
    entry = AuditEntry.objects.filter(object_type="reports.monthclose", object_id=str(may_closed["id"])).get()
    assert (entry.action, entry.detail, entry.actor.get_full_name()) == ("create", "Closed May 2026", "Olivia Operator")


def test_a_close_made_without_a_request_is_audit_logged_too(operator, organization):
    close = month_close(actor=operator, organization=organization, month=Month(2026, 5))
    entry = AuditEntry.objects.get(object_type="reports.monthclose", object_id=str(close.pk))
    assert (entry.action, entry.detail, entry.actor, entry.path) == ("create", "Closed May 2026", operator.user, "")


def test_a_close_whose_audit_entry_cannot_be_written_does_not_happen(api, operator, post, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(reports_services, "month_close_audit", fail)
    with pytest.raises(RuntimeError):
        post(api(operator), CLOSES, {"month": "2026-05"})
    assert not MonthClose.objects.exists()
    assert not Report.objects.exists()


def test_a_reopening_whose_audit_entry_cannot_be_written_leaves_the_month_closed(
    api, operator, post, may_closed, monkeypatch
):
    def fail(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(reports_services, "month_close_audit", fail)
    with pytest.raises(RuntimeError):
        post(api(operator), f"{CLOSES}{may_closed['id']}/reopen/", {"reason": "A May check was missed"})
    assert MonthClose.objects.in_force().count() == 2
    assert not Report.objects.filter(superseded_at__isnull=False).exists()


@pytest.mark.parametrize("who", ["manager", "resident_member"])
def test_only_operators_close_a_month(api, who, request, post):
    response = post(api(request.getfixturevalue(who)), CLOSES, {"month": "2026-05"})
    assert response.status_code == 403
    assert not MonthClose.objects.exists()


def test_a_manager_reads_which_months_are_closed(api, manager, may_closed):
    body = api(manager).get(CLOSES).json()
    assert [close["month"] for close in body["results"]] == ["2026-05", "2026-04"]
    assert body["results"][0]["report_download_url"] is None  # the organization report is the operators'


def test_residents_see_no_closes(api, resident_member, may_closed):
    assert api(resident_member).get(CLOSES).status_code == 403


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2026-06", "June 2026 is not over yet: it can be closed from Jul 1, 2026."),
        ("2026-07", "July 2026 is not over yet"),
        ("2026-13", "Use the form YYYY-MM"),
    ],
)
def test_a_month_that_is_not_over_is_refused(api, operator, post, month, message):
    response = post(api(operator), CLOSES, {"month": month})
    assert response.status_code == 400
    assert message in response.json()["month"][0]
    assert not MonthClose.objects.exists()
    assert not Report.objects.exists()


def test_months_close_in_order(api, operator, post, occupied):
    client = api(operator)
    assert post(client, CLOSES, {"month": "2026-03"}).status_code == 201
    response = post(client, CLOSES, {"month": "2026-05"})
    assert response.status_code == 400
    assert response.json()["month"] == [
        "Months close in order: close April 2026 first (the books are closed through March 2026)."
    ]
    assert MonthClose.objects.count() == 1


def test_a_closed_month_cannot_be_closed_again(api, operator, post, may_closed):
    response = post(api(operator), CLOSES, {"month": "2026-04"})
    assert response.status_code == 409
    assert response.json()["month"] == ["The books are already closed through May 2026."]


def test_every_download_of_a_closed_months_report_is_the_same_file_and_matches_its_sha256(api, operator, may_closed):
    client = api(operator)
    downloads = [b"".join(client.get(may_closed["report_download_url"]).streaming_content) for _ in range(2)]
    assert downloads[0] == downloads[1]
    assert downloads[0].startswith(b"%PDF")
    assert hashlib.sha256(downloads[0]).hexdigest() == may_closed["report_sha256"]
    shown = client.get(f"/api/v1/reports/{may_closed['report']}/").json()
    assert shown["sha256"] == may_closed["report_sha256"]
    assert shown["superseded"] is False


def test_asking_for_a_closed_months_report_returns_the_stored_one_even_after_a_change(
    api, operator, organization, occupied, may_closed, post
):
    # The services refuse anything dated into May now, so the change is made behind their back (a repair in the
    # database): May's figures move, the stored report stays the answer.
    before = monthly_metrics(organization=organization, month=Month(2026, 5))
    BedAssignment.objects.filter(bed__house=occupied).update(start=date(2026, 5, 20))
    assert monthly_metrics(organization=organization, month=Month(2026, 5)) != before
    response = post(api(operator), "/api/v1/reports/", {"month": "2026-05", "refresh": True})
    assert response.json()["id"] == may_closed["report"]
    assert Report.objects.filter(month=date(2026, 5, 1)).count() == 1


def test_a_closed_months_house_report_is_made_once(api, operator, occupied, may_closed, post):
    client = api(operator)
    first = post(client, "/api/v1/reports/", {"month": "2026-05", "house": occupied.pk}).json()["id"]
    second = post(client, "/api/v1/reports/", {"month": "2026-05", "house": occupied.pk, "refresh": True}).json()["id"]
    assert first == second


def test_reopening_is_audit_logged_and_supersedes_the_stored_report(api, operator, may_closed, post):
    response = post(api(operator), f"{CLOSES}{may_closed['id']}/reopen/", {"reason": "A May check was missed"})
    assert response.status_code == 200
    body = response.json()
    assert (body["in_force"], body["reopen_reason"], body["reopened_by_name"]) == (
        False,
        "A May check was missed",
        "Olivia Operator",
    )
    entry = AuditEntry.objects.get(object_type="reports.monthclose", action="update")
    assert entry.detail == "Reopened May 2026: A May check was missed"
    report = api(operator).get(f"/api/v1/reports/{may_closed['report']}/").json()
    assert report["superseded"] is True
    assert report["superseded_at"] is not None


def test_closing_again_after_reopening_makes_a_new_report(api, operator, may_closed, post):
    client = api(operator)
    post(client, f"{CLOSES}{may_closed['id']}/reopen/", {"reason": "A May check was missed"})
    again = client.get(f"{CLOSES}{post(client, CLOSES, {'month': '2026-05'}).json()['id']}/").json()
    assert again["report"] != may_closed["report"]
    assert again["report_status"] == "done"
    assert MonthClose.objects.filter(month=date(2026, 5, 1)).count() == 2


def test_only_the_latest_closed_month_reopens(api, operator, post, may_closed):
    april = MonthClose.objects.get(month=date(2026, 4, 1))
    response = post(api(operator), f"{CLOSES}{april.pk}/reopen/", {"reason": "Wrong"})
    assert response.status_code == 400
    assert response.json()["month"] == ["Months reopen from the latest: reopen May 2026 first."]
    assert MonthClose.objects.in_force().count() == 2


def test_reopening_needs_a_reason(api, operator, post, may_closed):
    response = post(api(operator), f"{CLOSES}{may_closed['id']}/reopen/", {"reason": "  "})
    assert response.status_code == 400
    assert "reason" in response.json()
    assert MonthClose.objects.in_force().count() == 2
    assert not AuditEntry.objects.filter(action="update").exists()


def test_a_close_already_reopened_cannot_be_reopened_again(api, operator, post, may_closed):
    client = api(operator)
    post(client, f"{CLOSES}{may_closed['id']}/reopen/", {"reason": "Missed check"})
    response = post(client, f"{CLOSES}{may_closed['id']}/reopen/", {"reason": "Again"})
    assert response.status_code == 409


@pytest.fixture
def member(request):
    """The member a test is parametrized by (indirect), made before the months close: a resident member moves in
    in January, which is closed afterwards."""
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("member", ["manager", "resident_member"], indirect=True)
def test_only_operators_reopen_a_month(api, member, post, may_closed):
    response = post(api(member), f"{CLOSES}{may_closed['id']}/reopen/", {"reason": "Why"})
    assert response.status_code == 403
    assert MonthClose.objects.in_force().count() == 2


def test_another_organizations_close_is_not_found(api, outsider, post, may_closed):
    response = post(api(outsider), f"{CLOSES}{may_closed['id']}/reopen/", {"reason": "Mine"})
    assert response.status_code == 404


def test_the_close_list_costs_the_same_queries_for_any_number_of_closes(
    api, operator, organization, django_assert_max_num_queries
):
    client = api(operator)
    month_close(actor=operator, organization=organization, month=Month(2026, 1))
    with django_assert_max_num_queries(8) as few:
        client.get(CLOSES)
    for month in (2, 3, 4, 5):
        month_close(actor=operator, organization=organization, month=Month(2026, month))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(CLOSES).json()["results"]) == 5
