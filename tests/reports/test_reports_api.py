from datetime import date

import pytest
from django.core import mail
from django.test import TestCase

from reports.models import Report
from reports.services import month_end_reports
from residents.core.services.stays import stay_admit
from tests.factories import ResidentFactory

from ..conftest import api_client_for
from .conftest import module_world

# A month over at every instant the date-sensitive run uses (the current month is reported only to date).
MONTH = "2026-02"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """Asks for a report as a client would, running what the request queues once it commits."""

    def post(client, body):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/api/v1/reports/", body, format="json")

    return post


@pytest.fixture
def queue():
    """Asks for a report and leaves it queued: for tests about who sees which report, where no PDF is needed."""

    def post(client, body):
        return client.post("/api/v1/reports/", body, format="json")

    return post


def occupied(house, operator, organization):
    stay_admit(
        actor=operator, resident=ResidentFactory(organization=organization), bed=house.beds.first(), on=date(2026, 2, 1)
    )
    return house


def asked(operator, occupied):
    """The operator asked for the month's organization report, as ``ask`` does: the answer, once it was made."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = api_client_for(operator).post("/api/v1/reports/", {"month": MONTH}, format="json")
    assert response.status_code == 202
    return response.json()


# The month's report asked for and made once for the module (tests/reports/conftest.py): each test asking for
# ``asked`` gets its own copy of that world, and its writes roll back; ``occupied`` and the roles are the world's then,
# made afresh for the other tests.
globals().update(
    module_world(
        ["organization", "house", "operator", "outsider"],
        {"occupied": occupied, "asked": asked},
        asked_by=["asked"],
    )
)


def test_monthly_metrics_give_totals_and_one_entry_per_house(api, operator, occupied, other_house):
    body = api(operator).get(f"/api/v1/reports/monthly/?month={MONTH}").json()
    assert body["month"] == MONTH
    assert [row["name"] for row in body["houses"]] == ["Maple House", "Willow House"]
    assert body["totals"]["occupancy"]["occupied_bed_nights"] == 28
    assert body["houses"][0]["occupancy"]["occupied_bed_nights"] == 28


def test_monthly_metrics_for_one_house(api, manager, occupied):
    body = api(manager).get(f"/api/v1/reports/monthly/?month={MONTH}&house={occupied.pk}").json()
    assert body["scope"] == "house"
    assert [row["id"] for row in body["houses"]] == [occupied.pk]


def test_a_manager_cannot_ask_for_the_organization_or_another_house(api, manager, other_house):
    client = api(manager)
    assert client.get(f"/api/v1/reports/monthly/?month={MONTH}").status_code == 400
    response = client.get(f"/api/v1/reports/monthly/?month={MONTH}&house={other_house.pk}")
    assert response.status_code == 400
    assert "house" in response.json()


@pytest.mark.parametrize("month", ["2026-13", "March", "", "2026-3-1"])
def test_a_bad_month_is_a_400_naming_it(api, operator, month):
    response = api(operator).get(f"/api/v1/reports/monthly/?month={month}")
    assert response.status_code == 400
    assert "month" in response.json()


def test_residents_get_no_reports(api, resident_member):
    assert api(resident_member).get(f"/api/v1/reports/monthly/?month={MONTH}").status_code == 403
    assert api(resident_member).get("/api/v1/reports/").status_code == 403


def test_asking_for_a_report_answers_202_and_generates_it(api, operator, occupied, ask):
    response = ask(api(operator), {"kind": "monthly", "month": MONTH})
    assert response.status_code == 202
    report = Report.objects.get(pk=response.json()["id"])
    assert report.status == "done"
    assert (report.progress_done, report.progress_total) == (1, 1)
    assert report.pages >= 3


def test_the_status_endpoint_shows_progress_and_a_download_link(api, operator, asked):
    client = api(operator)
    report_id = asked["id"]
    body = client.get(f"/api/v1/reports/{report_id}/").json()
    assert body["status"] == "done"
    assert body["download_url"] == f"/api/v1/reports/{report_id}/download/"


def test_the_download_streams_a_pdf_with_a_sensible_name(api, operator, asked):
    client = api(operator)
    report_id = asked["id"]
    response = client.get(f"/api/v1/reports/{report_id}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="hearth-monthly-2026-02-second-wind.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_asking_twice_returns_the_same_report_while_the_figures_are_unchanged(api, operator, asked, ask):
    client = api(operator)
    first = asked["id"]
    second = ask(client, {"month": MONTH}).json()["id"]
    assert first == second
    assert Report.objects.count() == 1


def test_a_change_in_the_data_makes_a_new_report(api, operator, occupied, resident_factory, asked, ask):
    client = api(operator)
    first = asked["id"]
    stay_admit(actor=operator, resident=resident_factory(), bed=occupied.beds.last(), on=date(2026, 2, 20))
    second = ask(client, {"month": MONTH}).json()["id"]
    assert first != second


def test_refresh_makes_a_new_report_anyway(api, operator, occupied, queue):
    client = api(operator)
    first = queue(client, {"month": MONTH}).json()["id"]
    second = queue(client, {"month": MONTH, "refresh": True}).json()["id"]
    assert first != second


def test_a_month_not_yet_started_is_refused(api, operator, ask):
    response = ask(api(operator), {"month": "2999-01"})
    assert response.status_code == 400
    assert "month" in response.json()
    assert not Report.objects.exists()


def test_a_manager_sees_only_reports_of_their_houses(api, operator, manager, occupied, other_house, queue):
    client = api(operator)
    own = queue(client, {"month": MONTH, "house": occupied.pk}).json()["id"]
    other = queue(client, {"month": MONTH, "house": other_house.pk}).json()["id"]
    organization_report = queue(client, {"month": MONTH}).json()["id"]
    listed = {row["id"] for row in api(manager).get("/api/v1/reports/").json()["results"]}
    assert listed == {own}
    assert api(manager).get(f"/api/v1/reports/{other}/download/").status_code == 404
    assert api(manager).get(f"/api/v1/reports/{organization_report}/").status_code == 404


def test_another_organization_cannot_see_or_download_a_report(api, outsider, asked):
    report_id = asked["id"]
    assert api(outsider).get(f"/api/v1/reports/{report_id}/").status_code == 404
    assert api(outsider).get(f"/api/v1/reports/{report_id}/download/").status_code == 404


def test_the_month_end_job_makes_last_months_report_and_emails_operators(
    operator, occupied, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reports = month_end_reports(on=date(2026, 4, 1))
    assert {(r.organization_id, r.month, r.house_id) for r in reports} == {
        (operator.organization_id, date(2026, 3, 1), None),
        (outsider.organization_id, date(2026, 3, 1), None),
    }
    assert sorted(message.to[0] for message in mail.outbox) == sorted([operator.user.email, outsider.user.email])
    assert "/dashboard/reports/" in mail.outbox[0].body


def test_running_the_month_end_job_twice_emails_nobody_twice(operator, occupied, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        month_end_reports(on=date(2026, 4, 1))
        month_end_reports(on=date(2026, 4, 1))
    assert len(mail.outbox) == 1
    assert Report.objects.count() == 1


def test_the_report_list_runs_a_constant_number_of_queries(
    api, operator, occupied, other_house, django_assert_max_num_queries, queue
):
    client = api(operator)
    queue(client, {"month": MONTH})
    with django_assert_max_num_queries(8) as small:
        client.get("/api/v1/reports/")
    small_count = len(small.captured_queries)  # read now: each request resets the log
    for month in ["2025-12", "2026-01"]:
        for house in (occupied, other_house):
            queue(client, {"month": month, "house": house.pk})
    with django_assert_max_num_queries(small_count):
        assert client.get("/api/v1/reports/").json()["count"] == 5
