"""The evidence pack PDF: tagged (PDF/UA-1), titled, with the house, its rules, history and document register."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from compliance.pack import evidence_pack_html
from compliance.services import inspections as inspection_services
from compliance.services.drills import drill_log

from .conftest import upload

try:
    import weasyprint  # noqa: F401  (needs Pango at import time)
except OSError as missing:  # pragma: no cover - depends on the machine
    pytest.skip(f"WeasyPrint cannot load Pango: {missing}", allow_module_level=True)


@pytest.fixture
def evidence(operator, level_two, today):
    upload(operator, level_two, "liability_insurance", title="Liability policy 2025", expires_on=today)
    upload(
        operator,
        level_two,
        "liability_insurance",
        title="Liability policy 2026",
        expires_on=today + timedelta(days=300),
    )
    inspection = inspection_services.inspection_start(
        actor=operator, house=level_two, inspected_on=today - timedelta(days=3)
    )
    line = inspection.lines.get(item="first_aid_kit")
    inspection_services.inspection_line_record(actor=operator, line=line, result="fail", note="No gloves left")
    drill_log(
        actor=operator, house=level_two, held_at=timezone.now(), residents_present=6, evacuation_minutes=Decimal("2.5")
    )
    return level_two


def _text(pdf: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())  # table cells wrap; compare words, not lines


def test_the_pack_is_a_pdf_with_the_house_and_its_rules(api, operator, evidence):
    response = api(operator).get(f"/api/v1/houses/{evidence.pk}/certification/pack/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="maple-house-evidence-pack-')
    assert response.content.startswith(b"%PDF")
    text = _text(response.content)
    assert "Maple House" in text
    assert "2.F.17.c" in text
    assert "No gloves left" in text
    assert "Liability policy 2025" in text
    assert "Superseded" in text
    assert "Page 1 of" in text


def test_the_pack_carries_title_author_and_language(operator, evidence):
    html = evidence_pack_html(viewer=operator, house=evidence)
    assert '<html lang="en">' in html
    assert "<title>Evidence pack: Maple House" in html
    assert f'<meta name="author" content="{operator.user.get_full_name()}">' in html
    assert "<thead>" in html
    assert 'counter(page) " of " counter(pages)' in html


def test_the_pack_is_tagged_and_titled_for_screen_readers(api, operator, evidence):
    content = api(operator).get(f"/api/v1/houses/{evidence.pk}/certification/pack/").content
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title.startswith("Evidence pack: Maple House")
    assert reader.metadata.author == "Olivia Operator"


def test_the_house_pages_pack_button_downloads_the_same_pdf_from_a_page_route(page, operator, evidence):
    client = page(operator)
    html = client.get(f"/dashboard/houses/{evidence.pk}/certification/").content.decode()
    assert f'action="/dashboard/houses/{evidence.pk}/certification/pack/"' in html
    response = client.submit(f"/dashboard/houses/{evidence.pk}/certification/", form="#evidence-pack")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="maple-house-evidence-pack-')
    assert "2.F.17.c" in _text(response.content)
