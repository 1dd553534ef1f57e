import io
from datetime import date

import pytest
from pypdf import PdfReader

from reports.metrics import Month
from reports.models import Report
from reports.pdf import render_monthly
from residents.core.services.stays import stay_admit
from tests.factories import ResidentFactory

from .conftest import module_world


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(organization, house, operator):
    stay_admit(
        actor=operator, resident=ResidentFactory(organization=organization), bed=house.beds.first(), on=date(2026, 3, 1)
    )
    return render_monthly(organization=organization, month=Month(2026, 3))


# March's report rendered once for the module (tests/reports/conftest.py) for the tests that read it; the roles are
# that world's for them, made afresh for the other tests.
globals().update(module_world(["organization", "house", "operator"], {"pdf": pdf}, asked_by=["pdf"]))


def _read(content):
    return PdfReader(io.BytesIO(content))


def test_the_pdf_carries_title_author_and_language(pdf):
    reader = _read(pdf[0])
    assert reader.metadata.title == "Second Wind · Monthly report · March 2026"
    assert reader.metadata.author == "Second Wind"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_the_pdf_is_tagged_for_screen_readers(pdf):
    root = _read(pdf[0]).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]


def test_every_page_says_page_x_of_y(pdf):
    reader = _read(pdf[0])
    total = len(reader.pages)
    assert f"Page 2 of {total}" in reader.pages[1].extract_text()


def test_the_pdf_has_a_cover_a_summary_and_a_page_per_house(pdf):
    _content, pages = pdf
    assert pages >= 3


def test_the_reports_page_lists_reports_and_offers_generation(
    page, operator, house, django_capture_on_commit_callbacks
):
    client = page(operator)
    with django_capture_on_commit_callbacks(execute=True):
        # The form's own month (last month): it offers only the last 13, so a fixed one would expire.
        response = client.submit("/dashboard/reports/", {"scope": ""}, button="Generate")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "is being generated" in page
    assert "Download PDF" in page
    assert Report.objects.get().status == "done"


def test_the_reports_page_shows_a_progress_bar_for_a_report_in_progress(client, operator, house):
    Report.objects.create(
        organization=operator.organization, month=date(2026, 3, 1), fingerprint="x", status="running",
        progress_done=1, progress_total=3,
    )  # fmt: skip
    client.force_login(operator.user)
    page = client.get("/dashboard/reports/").content.decode()
    assert '<progress max="3" value="1"' in page
    assert "1 of 3 houses" in page


def test_a_manager_can_only_choose_their_houses(client, manager, house, other_house):
    client.force_login(manager.user)
    page = client.get("/dashboard/reports/").content.decode()
    assert house.name in page
    assert other_house.name not in page
    assert "All houses (organization report)" not in page


def test_residents_cannot_open_the_reports_page(client, resident_member):
    client.force_login(resident_member.user)
    assert client.get("/dashboard/reports/").status_code == 403


def _finished_report(client, operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.submit("/dashboard/reports/", {"scope": ""}, button="Generate")  # last month, as offered
    return Report.objects.get()


def test_the_download_link_on_the_reports_page_is_a_page_that_gives_the_pdf(
    page, operator, house, django_capture_on_commit_callbacks
):
    client = page(operator)
    report = _finished_report(client, operator, django_capture_on_commit_callbacks)
    listing = client.get("/dashboard/reports/").content.decode()
    assert f'href="/dashboard/reports/{report.pk}/download/"' in listing
    assert 'href="/api/' not in listing.split('id="main"', 1)[1]
    response = client.get(f"/dashboard/reports/{report.pk}/download/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_organizations_report_cannot_be_downloaded_from_the_page(
    page, operator, outsider, house, django_capture_on_commit_callbacks
):
    report = _finished_report(page(operator), operator, django_capture_on_commit_callbacks)
    assert page(outsider).get(f"/dashboard/reports/{report.pk}/download/").status_code == 404


@pytest.fixture
def many_houses(monkeypatch):
    """More houses than the report form lists: two are already too many."""
    monkeypatch.setattr("reports.views.HOUSES_IN_A_LIST", 1)


def test_an_organization_with_many_houses_types_the_house_by_name(
    page, operator, house, other_house, many_houses, django_capture_on_commit_callbacks
):
    client = page(operator)
    shown = client.get("/dashboard/reports/").content.decode()
    assert f">{other_house.name}</option>" not in shown  # no list of every house
    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit("/dashboard/reports/", {"scope": other_house.name.upper()}, button="Generate")
    assert response.status_code == 302
    assert Report.objects.get().house == other_house


def test_a_typed_house_name_that_is_none_of_yours_is_refused_beside_the_field(
    page, operator, house, other_house, many_houses
):
    response = page(operator).submit("/dashboard/reports/", {"scope": "Nowhere House"}, button="Generate")
    assert response.status_code == 400
    assert "No house of yours is called “Nowhere House”." in response.content.decode()
    assert not Report.objects.exists()
