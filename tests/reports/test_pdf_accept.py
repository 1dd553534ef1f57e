"""Every endpoint that answers with a PDF gives it to a client that asks for ``Accept: application/pdf`` as much as
to one that takes anything (``*/*``): the report download, the certification evidence pack, receipts and
statements."""

from datetime import date

import pytest
from django.test import TestCase

from billing.services.payments import payment_record
from reports.metrics import Month
from reports.models import Report
from reports.services import report_request

from ..clock import local_moment, module_clock
from .conftest import module_world

_clock = module_clock(local_moment(2026, 4, 10))

ACCEPTS = ["application/pdf", "*/*"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def report(organization, house, operator):
    with TestCase.captureOnCommitCallbacks(execute=True):
        report, _created = report_request(actor=operator, organization=organization, month=Month(2026, 3))
    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    return report


# March's report made once for the module (tests/reports/conftest.py): each test asking for ``report`` gets its own
# copy of that world (and of the stored file), and its writes roll back; the roles are the world's then, made afresh
# for the other tests.
globals().update(
    module_world(
        ["organization", "house", "operator"], {"report": report}, asked_by=["report"], at=local_moment(2026, 4, 10)
    )
)


@pytest.fixture
def payment(manager, resident_member):
    return payment_record(
        actor=manager, resident=resident_member.resident, method="cash", amount="250.00",
        received_on=date(2026, 4, 2),
    )  # fmt: skip


def _is_pdf(response) -> bool:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code == 200 and response["Content-Type"] == "application/pdf" and content[:4] == b"%PDF"


@pytest.mark.parametrize("accept", ACCEPTS)
def test_the_report_download_answers_with_the_pdf(api, operator, report, accept):
    response = api(operator).get(f"/api/v1/reports/{report.pk}/download/", HTTP_ACCEPT=accept)
    assert _is_pdf(response)


@pytest.mark.parametrize("accept", ACCEPTS)
def test_the_report_download_page_answers_with_the_pdf(page, operator, report, accept):
    response = page(operator).get(f"/dashboard/reports/{report.pk}/download/", HTTP_ACCEPT=accept)
    assert _is_pdf(response)


def test_a_missing_report_asked_for_as_pdf_is_a_404_a_client_can_read(api, operator, house):
    response = api(operator).get("/api/v1/reports/999999/download/", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


@pytest.mark.parametrize("accept", ACCEPTS)
def test_the_certification_pack_answers_with_the_pdf(api, operator, house, accept):
    response = api(operator).get(f"/api/v1/houses/{house.pk}/certification/pack/", HTTP_ACCEPT=accept)
    assert _is_pdf(response)


@pytest.mark.parametrize("accept", ACCEPTS)
def test_the_certification_pack_page_answers_with_the_pdf(page, operator, house, accept):
    response = page(operator).get(f"/dashboard/houses/{house.pk}/certification/pack/", HTTP_ACCEPT=accept)
    assert _is_pdf(response)


def test_another_organizations_pack_asked_for_as_pdf_is_a_404(api, outsider, house):
    response = api(outsider).get(f"/api/v1/houses/{house.pk}/certification/pack/", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("accept", ACCEPTS)
def test_a_receipt_answers_with_the_pdf(page, resident_member, payment, accept):
    response = page(resident_member).get(f"/billing/receipts/{payment.pk}/pdf/", HTTP_ACCEPT=accept)
    assert _is_pdf(response)


@pytest.mark.parametrize("accept", ACCEPTS)
def test_a_statement_answers_with_the_pdf(page, manager, resident_member, payment, accept):
    query = f"?resident={resident_member.resident.pk}&start=2026-04-01&end=2026-04-09"
    response = page(manager).get(f"/billing/statement/pdf/{query}", HTTP_ACCEPT=accept)
    assert _is_pdf(response)


@pytest.mark.parametrize("accept", ACCEPTS)
def test_a_certification_document_download_answers_with_the_pdf(api, operator, house, accept):
    from tests.compliance.conftest import upload

    document = upload(operator, house, "liability_insurance")
    response = api(operator).get(f"/api/v1/documents/{document.pk}/download/", HTTP_ACCEPT=accept)
    assert _is_pdf(response)


def test_a_certification_image_download_answers_to_its_own_type(api, operator, house):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.compliance.conftest import PNG_BYTES, upload

    document = upload(
        operator, house, "liability_insurance", file=SimpleUploadedFile("floor.png", PNG_BYTES, "image/png")
    )
    response = api(operator).get(f"/api/v1/documents/{document.pk}/download/", HTTP_ACCEPT="image/png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
