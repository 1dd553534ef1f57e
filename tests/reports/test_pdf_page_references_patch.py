"""The pydyf fix applied while upstream ships it (reports/pdf_patches.py, docs/upstream/pydyf-page-references/):
reading a PDF's page references no longer rebuilds them, the PDF written is the same, and the project's rendering
turns it on."""

from datetime import date

import pydyf
import pytest

from reports import pdf_patches
from reports.metrics import Month
from reports.pdf import render_monthly

try:
    from weasyprint import HTML
except OSError as missing:  # pragma: no cover - depends on the machine
    pytest.skip(f"WeasyPrint cannot load Pango: {missing}", allow_module_level=True)

RELEASED = pydyf.PDF.__dict__["page_references"]
if RELEASED.fget is pdf_patches._cached_page_references:  # pragma: no cover - patched before this module loaded
    RELEASED = property(lambda self: tuple(f"{n} 0 R".encode("ascii") for n in self.pages["Kids"][::3]))

HTML_PAGES = (
    '<html lang="en"><head><title>T</title></head><body><h1>T</h1>'
    + "".join(f'<section style="break-before: page"><h2>Part {n}</h2><p>Text {n}</p></section>' for n in range(12))
    + "</body></html>"
)


@pytest.fixture
def released(monkeypatch):
    monkeypatch.setattr(pydyf.PDF, "page_references", RELEASED)


def _write() -> bytes:
    document = HTML(string=HTML_PAGES).render()
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=b"test", custom_metadata=False)


def _pdf_with(pages: int) -> pydyf.PDF:
    document = pydyf.PDF()
    for _page in range(pages):
        document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    return document


def test_the_patched_library_writes_the_same_pdf_byte_for_byte(monkeypatch):
    monkeypatch.setattr(pydyf.PDF, "page_references", RELEASED)
    before = _write()
    monkeypatch.setattr(pydyf.PDF, "page_references", property(pdf_patches._cached_page_references))
    assert _write() == before


def test_reading_page_references_again_builds_nothing_new(monkeypatch):
    monkeypatch.setattr(pydyf.PDF, "page_references", property(pdf_patches._cached_page_references))
    document = _pdf_with(500)
    first = document.page_references
    built = []
    monkeypatch.setattr(pdf_patches, "tuple", lambda items: built.append(1) or tuple(items), raising=False)
    for _read in range(1000):
        assert document.page_references is first
    assert built == []


def test_a_page_added_after_a_read_is_in_the_next_read(monkeypatch):
    monkeypatch.setattr(pydyf.PDF, "page_references", property(pdf_patches._cached_page_references))
    document = _pdf_with(2)
    assert len(document.page_references) == 2
    document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert document.page_references == RELEASED.fget(document)


def test_the_projects_rendering_turns_the_patch_on(released, organization, house):
    assert not pdf_patches.is_active()
    render_monthly(organization=organization, month=Month.of(date(2026, 3, 1)))
    assert pdf_patches.is_active()


def test_a_pydyf_release_not_known_to_rebuild_is_left_alone(released, monkeypatch):
    monkeypatch.setattr(pdf_patches, "_installed", lambda: "0.14.0")
    assert pdf_patches.apply() is False
    assert not pdf_patches.is_active()
