"""A report names its audience: asked for through the API or the reports page, kept apart from the other audience's
copy of the same figures, and named so the two files never collide."""

import pytest

from reports.models import Report

from ..clock import local_moment, module_clock

_clock = module_clock(local_moment(2026, 4, 10))

MONTH = "2026-03"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    def post(client, body):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/api/v1/reports/", body, format="json")

    return post


def test_a_report_asked_for_funders_is_made_for_funders(api, operator, house, ask):
    response = ask(api(operator), {"month": MONTH, "audience": "funder"})
    assert response.status_code == 202
    assert response.json()["audience"] == "funder"
    assert Report.objects.get().audience == "funder"


def test_a_report_is_internal_unless_asked_otherwise(api, operator, house, ask):
    assert ask(api(operator), {"month": MONTH}).json()["audience"] == "internal"


def test_the_funder_and_internal_copies_of_the_same_figures_are_two_reports(api, operator, house, ask):
    client = api(operator)
    internal = ask(client, {"month": MONTH}).json()
    funder = ask(client, {"month": MONTH, "audience": "funder"}).json()
    again = ask(client, {"month": MONTH, "audience": "funder"}).json()
    assert internal["id"] != funder["id"]
    assert again["id"] == funder["id"]
    assert Report.objects.count() == 2


def test_an_unknown_audience_is_a_400_naming_the_field_and_writes_nothing(api, operator, house, ask):
    response = ask(api(operator), {"month": MONTH, "audience": "press"})
    assert response.status_code == 400
    assert "audience" in response.json()
    assert not Report.objects.exists()


def test_the_funder_copy_downloads_under_its_own_name(api, operator, house, ask):
    client = api(operator)
    report = ask(client, {"month": MONTH, "audience": "funder"}).json()
    response = client.get(f"/api/v1/reports/{report['id']}/download/")
    assert response.status_code == 200
    assert 'filename="hearth-monthly-2026-03-second-wind-funder.pdf"' in response["Content-Disposition"]


def test_the_reports_page_form_asks_for_a_funder_copy(page, operator, house, django_capture_on_commit_callbacks):
    client = page(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(
            "/dashboard/reports/", {"month": MONTH, "scope": "", "audience": "funder"}, button="Generate"
        )
    assert response.status_code == 302
    assert Report.objects.get().audience == "funder"
    assert "Funder copy" in client.get("/dashboard/reports/").content.decode()


def test_the_reports_page_refuses_an_unknown_audience_beside_the_field(page, operator, house):
    client = page(operator)
    response = client.post("/dashboard/reports/", {"month": MONTH, "scope": "", "audience": "press"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Report.objects.exists()
