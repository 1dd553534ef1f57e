"""Funder-ready monthly PDFs: the funder copy names no resident and hides small counts of people; both copies open on
a cover of headline figures against the previous month, with the figures' digest and a stamp on the organization's
clock, and close on a page defining every figure in the words of the metrics' docstrings."""

import io
import re
from datetime import date

import pytest
import time_machine
from pypdf import PdfReader

from reports.definitions import figure_definitions
from reports.metrics import Month, fingerprint, monthly_metrics
from reports.pdf import monthly_html, render_monthly
from residents.core.services.stays import stay_admit, stay_discharge
from residents.meetings.services import recovery_meeting_record
from tests.factories import ResidentFactory

from ..clock import local_moment
from .conftest import module_world

try:
    import weasyprint  # noqa: F401  (needs Pango at import time)
except OSError as missing:  # pragma: no cover - depends on the machine
    pytest.skip(f"WeasyPrint cannot load Pango: {missing}", allow_module_level=True)

NAMES = [("Zebulon", "Quackenbush"), ("Philippa", "Thistlewood"), ("Eustace", "Marchbanks")]
# 9:30 PM in Chicago on April 10 is already April 11 in UTC: a stamp in UTC would show the wrong day.
NOW = local_moment(2026, 4, 10, 21, 30)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def march(organization, house, operator):
    """March 2026 at Maple House: three residents admitted on the 1st, one discharged after a relapse on the 20th,
    two of them at outside recovery meetings."""
    beds = list(house.beds.order_by("pk"))
    stays = []
    for (first, last), bed in zip(NAMES, beds, strict=False):
        resident = ResidentFactory(organization=organization, legal_first_name=first, legal_last_name=last)
        stays.append(stay_admit(actor=operator, resident=resident, bed=bed, on=date(2026, 3, 1)))
    stay_discharge(actor=operator, stay=stays[2], on=date(2026, 3, 20), reason="relapse")
    for stay in stays[:2]:
        recovery_meeting_record(actor=operator, resident=stay.resident, attended_on=date(2026, 3, 5), meeting_type="aa")
    return house


def _text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def _pdf_text(organization, audience, month=None):
    content, _pages = render_monthly(organization=organization, month=month or Month(2026, 3), audience=audience)
    return _text(content)


def internal_text(organization, march):
    """March's internal report, as text: rendered once for the module's tests that only read it."""
    return _pdf_text(organization, "internal")


def funder_text(organization, march):
    """March's funder report, as text: rendered once for the module's tests that only read it."""
    return _pdf_text(organization, "funder")


# March and its two reports made once for the module (tests/reports/conftest.py): each test gets its own copy of that
# world, at the same frozen instant, and its writes roll back.
globals().update(
    module_world(
        ["organization", "house", "operator"],
        {"march": march, "internal_text": internal_text, "funder_text": funder_text},
        asked_by=["march", "internal_text", "funder_text"],
        at=NOW,
        tick=False,
    )
)


def test_the_internal_report_names_the_residents_it_counts(march, internal_text):
    text = internal_text
    assert "Zebulon Quackenbush" in text


def test_the_funder_report_names_no_resident_anywhere(march, funder_text):
    text = funder_text
    for first, last in NAMES:
        assert first not in text
        assert last not in text


def test_the_funder_report_shows_small_counts_of_people_as_under_five(march, funder_text):
    text = funder_text
    assert re.search(r"Admissions <5 ", text)
    assert re.search(r"Discharges: relapse <5 ", text)
    assert "Residents who attended outside recovery meetings: <5" in text


def test_the_funder_report_turns_the_per_resident_meeting_table_into_a_count(organization, march):
    html = monthly_html(organization=organization, month=Month(2026, 3), audience="funder")
    assert "Outside recovery meetings</th>" not in html
    assert "Residents who attended outside recovery meetings: &lt;5" in html


def test_the_organization_summary_counts_meeting_goers_and_each_house_names_its_own(
    organization, march, other_house, operator, resident_factory
):
    resident = resident_factory(legal_first_name="Ottoline", legal_last_name="Brackenridge")
    stay_admit(actor=operator, resident=resident, bed=other_house.beds.first(), on=date(2026, 3, 1))
    recovery_meeting_record(actor=operator, resident=resident, attended_on=date(2026, 3, 6), meeting_type="na")

    metrics = monthly_metrics(organization=organization, month=Month(2026, 3))

    totals = metrics["totals"]["compliance"]
    assert (totals["recovery_meetings"], totals["recovery_meetings_people"], totals["recovery_meetings_total"]) == (
        [],
        3,
        3,
    )
    named = {house["name"]: [row["name"] for row in house["compliance"]["recovery_meetings"]] for house in
             metrics["houses"]}  # fmt: skip
    assert named == {
        march.name: ["Zebulon Quackenbush", "Philippa Thistlewood"],
        other_house.name: ["Ottoline Brackenridge"],
    }


def test_the_internal_summary_of_several_houses_says_where_the_meeting_goers_are_named(
    organization, march, other_house, operator, resident_factory
):
    resident = resident_factory()
    stay_admit(actor=operator, resident=resident, bed=other_house.beds.first(), on=date(2026, 3, 1))
    recovery_meeting_record(actor=operator, resident=resident, attended_on=date(2026, 3, 6), meeting_type="na")

    html = monthly_html(organization=organization, month=Month(2026, 3), audience="internal")

    assert "Residents who attended outside recovery meetings: 3 (named in each house's figures)." in html
    assert html.count("Outside recovery meetings</th>") == 2  # a table in each house's section only


def test_the_cover_shows_each_headline_figure_against_the_previous_month(march, internal_text):
    text = internal_text
    assert "Headline figures" in text
    assert "March 2026 February 2026 Change" in text
    assert "Admissions 3 0 +3" in text
    assert "Discharges: relapse 1 0 +1" in text
    for label in ("Occupancy", "Residents on the last night", "Drug-test compliance", "Charged", "Collected"):
        assert label in text


def test_the_cover_shows_money_with_its_currency_and_separators(march, internal_text):
    text = internal_text
    assert "Charged $0.00 $0.00 no change" in text


def test_the_cover_carries_the_figures_digest(organization, march, internal_text):
    metrics = monthly_metrics(organization=organization, month=Month(2026, 3))
    text = internal_text
    assert "Figures digest (SHA-256)" in text
    assert fingerprint(metrics) in text.replace(" ", "")


def test_the_cover_stamps_the_time_on_the_organizations_clock(march, internal_text):
    text = internal_text
    assert "Generated April 10, 2026, 9:30 PM CDT (America/Chicago)" in text


def test_a_month_still_running_says_it_is_month_to_date(organization, march):
    april = Month(2026, 4).as_of(organization.today())
    text = _pdf_text(organization, "internal", month=april)
    assert "Month to date, through April 9, 2026" in text


def test_a_finished_month_does_not_say_month_to_date(march, internal_text):
    assert "Month to date" not in internal_text


def test_the_last_page_defines_every_figure_in_the_words_of_the_metrics_docstrings(march, funder_text):
    words = "".join(funder_text.split())
    assert "Whateachfiguremeans" in words
    last_pages = words.split("Whateachfiguremeans")[-1]
    sections = figure_definitions()
    assert [section.name for section in sections][:3] == ["occupancy", "compliance", "money"]
    for section in sections:
        for definition in section.definitions:
            said = "".join(definition.text.split())
            assert said[1:] in last_pages, definition.names  # the first letter is capitalised on paper


def _pages_of_each_block(html: str) -> dict[int, set[int]]:
    """Lays the report out as the PDF is, and says on which pages each ``.block`` (a heading, its table, its chart)
    has boxes."""
    from django.conf import settings
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    pages: dict[int, set[int]] = {}
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and "block" in (element.get("class") or "").split():
                pages.setdefault(id(element), set()).add(number)
    return pages


def test_the_report_pdf_keeps_its_tables_and_charts_together(organization, march, operator, resident_factory):
    from houses.models import House
    from tests.factories import HouseFactory

    for number in range(4):  # enough houses for the report to run over several pages
        HouseFactory(organization=organization, name=f"Annex {number}", beds=4)
    html = monthly_html(organization=organization, month=Month(2026, 3))
    blocks = _pages_of_each_block(html)
    assert House.objects.filter(organization=organization).count() == 5
    assert len(blocks) > 10
    assert max(max(pages) for pages in blocks.values()) >= 3
    split = [sorted(pages) for pages in blocks.values() if len(pages) > 1]
    assert split == [], "a section's heading, table and chart run over a page break"
