"""The evidence pack with the evidence: the documents themselves appended after the register (PDF pages as they
are, images placed on pages of their own), each under its own bookmark; and the register and the rule-by-rule table
dating every document alike."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from accounts.models import AuditEntry
from compliance.evidence import MISSING, Evidence
from compliance.models import Document
from compliance.pack import evidence_pack_context
from compliance.standard import standard

from .conftest import pdf, upload

try:
    import weasyprint  # noqa: F401  (needs Pango at import time)
except OSError as missing:  # pragma: no cover - depends on the machine
    pytest.skip(f"WeasyPrint cannot load Pango: {missing}", allow_module_level=True)


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (47, 93, 80)).save(buffer, "PNG")
    return SimpleUploadedFile("floor-plan.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def filed(operator, level_two, today):
    """Maple House (level 2): insurance renewed (the lapsed policy superseded), a fire marshal's certificate as a
    PDF, emergency procedures as a photographed page, a code of ethics for the whole organization."""
    upload(operator, level_two, "liability_insurance", title="Liability policy 2025", expires_on=today,
           file=pdf(text="Liability policy 2025 text"))  # fmt: skip
    upload(operator, level_two, "liability_insurance", title="Liability policy 2026",
           expires_on=today + timedelta(days=300), file=pdf(text="Liability policy 2026 text"))  # fmt: skip
    upload(operator, level_two, "occupancy_certificate", title="Fire marshal certificate",
           issued_on=today - timedelta(days=100), file=pdf(text="Fire marshal certificate text"))  # fmt: skip
    upload(operator, level_two, "emergency_procedures", title="Emergency procedures (photo)", file=_png())
    upload(operator, None, "code_of_ethics", title="Code of ethics", file=pdf(text="Code of ethics text"))
    return level_two


def _pack(client, house, query="?documents=true"):
    response = client.get(f"/api/v1/houses/{house.pk}/certification/pack/{query}")
    assert response.status_code == 200
    return PdfReader(io.BytesIO(response.content))


def _bookmarks(reader) -> dict[str, int]:
    """Bookmarks under "Documents": title -> index of the page it opens."""
    documents = [item for item in reader.outline if not isinstance(item, list) and item.title == "Documents"]
    assert len(documents) == 1
    children = reader.outline[reader.outline.index(documents[0]) + 1]
    return {child.title: reader.get_destination_page_number(child) for child in children}


def test_the_pack_with_documents_bookmarks_each_current_document(api, operator, filed):
    bookmarks = _bookmarks(_pack(api(operator), filed))
    assert set(bookmarks) == {
        "Liability policy 2026 (Liability insurance)",
        "Fire marshal certificate (Occupancy certificate or inspection report)",
        "Emergency procedures (photo) (Emergency procedures)",
        "Code of ethics (Code of ethics)",
    }


def test_each_bookmark_opens_the_documents_own_page(api, operator, filed):
    reader = _pack(api(operator), filed)
    bookmarks = _bookmarks(reader)
    page = bookmarks["Fire marshal certificate (Occupancy certificate or inspection report)"]
    assert "Fire marshal certificate text" in reader.pages[page].extract_text()
    page = bookmarks["Liability policy 2026 (Liability insurance)"]
    assert "Liability policy 2026 text" in reader.pages[page].extract_text()


def test_an_image_is_placed_on_a_page_of_its_own_under_its_title(api, operator, filed):
    reader = _pack(api(operator), filed)
    page = reader.pages[_bookmarks(reader)["Emergency procedures (photo) (Emergency procedures)"]]
    assert "Emergency procedures (photo)" in page.extract_text()
    assert len(page.images) == 1


def test_superseded_versions_are_listed_but_not_appended(api, operator, filed):
    reader = _pack(api(operator), filed)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Liability policy 2025 text" not in text
    assert "Liability policy 2025" in text  # in the register


def test_the_documents_are_appended_after_the_pack_itself(api, operator, filed):
    plain = _pack(api(operator), filed, query="")
    reader = _pack(api(operator), filed)
    assert min(_bookmarks(reader).values()) == len(plain.pages)
    assert len(reader.pages) == len(plain.pages) + 4


def test_the_pack_without_the_option_appends_nothing(api, operator, filed):
    reader = _pack(api(operator), filed, query="")
    assert not [item for item in reader.outline if not isinstance(item, list) and item.title == "Documents"]


def test_a_document_that_cannot_be_read_gets_a_page_saying_so(api, operator, filed, today):
    upload(operator, filed, "owner_permission", title="Owner letter",
           file=pdf(content=b"%PDF-1.4\n" + b"not really a pdf " * 20))  # fmt: skip
    reader = _pack(api(operator), filed)
    page = reader.pages[_bookmarks(reader)["Owner letter (Property owner's permission)"]]
    assert "could not be opened as a PDF" in page.extract_text()


def test_appending_the_documents_writes_their_download_to_the_audit_log(api, operator, filed):
    _pack(api(operator), filed)
    entry = AuditEntry.objects.filter(action="download", object_type="compliance.document").latest("pk")
    current = sorted(Document.objects.current().values_list("pk", flat=True))
    assert entry.object_count == len(current)
    appended = entry.detail.removeprefix("Appended to the evidence pack: ").split(", ")
    assert sorted(int(pk) for pk in appended) == current


def test_a_bad_documents_option_is_a_400_naming_it(api, operator, filed):
    response = api(operator).get(f"/api/v1/houses/{filed.pk}/certification/pack/?documents=perhaps")
    assert response.status_code == 400
    assert "documents" in response.json()


def test_the_house_page_form_downloads_the_pack_with_the_documents(page, operator, filed):
    response = page(operator).submit(
        f"/dashboard/houses/{filed.pk}/certification/", {"documents": "on"}, form="#evidence-pack"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "with-documents" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert "Code of ethics (Code of ethics)" in _bookmarks(reader)


# The register and the rule-by-rule table date every document alike.


@pytest.fixture
def mixed(operator, level_two, today):
    """Level 2 Maple House: insurance lapsed ten days ago; a fire certificate issued 400 days ago with no expiry (the
    Standard wants it within a year: lapsed); a fee schedule expiring in ten days; the organization's code of ethics
    and the house's own; most other papers missing."""
    upload(operator, level_two, "liability_insurance", title="Lapsed policy", expires_on=today - timedelta(days=10))
    upload(operator, level_two, "occupancy_certificate", title="Old fire certificate",
           issued_on=today - timedelta(days=400))  # fmt: skip
    upload(operator, level_two, "fee_schedule", title="Fees", expires_on=today + timedelta(days=10))
    upload(operator, None, "code_of_ethics", title="Organization code of ethics")
    upload(operator, level_two, "code_of_ethics", title="House code of ethics", expires_on=today + timedelta(days=90))
    return level_two


def _document_evidence(context) -> list[tuple[str, Evidence]]:
    """(kind, evidence) for every piece of document evidence in the rule-by-rule table."""
    level = context["house"].narr_level
    rules = {rule.id: rule for rule in standard().rules}
    found = []
    for row in context["status"].rules:
        if row.status == "not_applicable":
            continue
        specs = [spec for spec in rules[row.rule].evidence if "levels" not in spec or level in spec["levels"]]
        for spec, evidence in zip(specs, row.evidence, strict=True):
            if evidence.type in ("document", "fee_schedule_published"):
                found.append((spec.get("kind", "fee_schedule"), evidence))
    return found


def _document_id(evidence) -> int:
    return int(re.search(r"#document-(\d+)$", evidence.links[0]["url"]).group(1))


def test_the_register_and_the_rule_table_give_every_judged_document_the_same_validity(operator, mixed):
    context = evidence_pack_context(viewer=operator, house=mixed)
    register = {row["document"].pk: row for row in context["documents"] if row["document"] is not None}
    judged = [(kind, evidence) for kind, evidence in _document_evidence(context) if evidence.status != MISSING]
    assert {evidence.status for _kind, evidence in judged} >= {"met", "expiring", "expired"}
    for _kind, evidence in judged:
        row = register[_document_id(evidence)]
        assert (row["valid_until"], row["status"]) == (evidence.valid_until, evidence.status)


def test_a_document_aged_out_by_the_standard_lapses_on_the_same_day_in_both(operator, mixed, today):
    context = evidence_pack_context(viewer=operator, house=mixed)
    row = next(
        row for row in context["documents"] if row["document"] and row["document"].title == "Old fire certificate"
    )
    assert row["valid_until"] == today - timedelta(days=35)
    assert row["status"] == "expired"


def test_every_kind_the_rule_table_misses_is_missing_in_the_register_and_no_other(operator, mixed):
    context = evidence_pack_context(viewer=operator, house=mixed)
    missing_in_rules = {kind for kind, evidence in _document_evidence(context) if evidence.status == MISSING}
    missing_in_register = {row["kind"] for row in context["documents"] if row["status"] == MISSING}
    assert missing_in_rules
    assert missing_in_register == missing_in_rules


def test_every_current_document_in_the_register_has_a_validity_and_status(operator, mixed):
    context = evidence_pack_context(viewer=operator, house=mixed)
    for row in context["documents"]:
        if row["document"] is not None and row["document"].is_current:
            assert row["status"] in ("met", "expiring", "expired")


def test_the_printed_register_shows_the_lapse_date_the_rule_table_gives(api, operator, mixed, today):
    response = api(operator).get(f"/api/v1/houses/{mixed.pk}/certification/pack/")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    lapsed = f"{today - timedelta(days=35):%b} {(today - timedelta(days=35)).day}, {(today - timedelta(days=35)).year}"
    assert f"Old fire certificate lapsed on {lapsed}" in text
    assert re.search(rf"Old fire certificate .*?{re.escape(lapsed)} Expired", text)
