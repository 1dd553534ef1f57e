"""A report names its audience: asked for through the API or the reports page, kept apart from the other audience's
copy of the same figures, and named so the two files never collide."""

from types import SimpleNamespace

import pytest
from django.test import TestCase

from reports.models import Report

from ..clock import local_moment, module_clock
from ..conftest import api_client_for
from .conftest import module_world

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


def funder_asked(operator, house):
    """The operator asked for the month's funder copy, as ``ask`` does: the answer's status code and body, once the
    report was made."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = api_client_for(operator).post(
            "/api/v1/reports/", {"month": MONTH, "audience": "funder"}, format="json"
        )
    return SimpleNamespace(status_code=response.status_code, body=response.json())


# The funder copy asked for and made once for the module (tests/reports/conftest.py): each test asking for
# ``funder_asked`` gets its own copy of that world (and of the stored file), and its writes roll back; the roles are
# the world's then, made afresh for the other tests.
globals().update(
    module_world(
        ["organization", "house", "operator"],
        {"funder_asked": funder_asked},
        asked_by=["funder_asked"],
        at=local_moment(2026, 4, 10),
    )
)


def test_a_report_asked_for_funders_is_made_for_funders(funder_asked):
    response = funder_asked
    assert response.status_code == 202
    assert response.body["audience"] == "funder"
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


def test_the_funder_copy_downloads_under_its_own_name(api, operator, funder_asked):
    client = api(operator)
    report = funder_asked.body
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
