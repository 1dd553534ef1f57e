"""An organization report of many houses is rendered in parts (head, chunks of houses, tail) by parallel tasks and
assembled into one PDF that reads as the single-run render: same pages and text in the same order, page numbers
across the parts, bookmarks to the right pages, tagged. Progress counts houses; a failed part fails the report."""

import hashlib
import io
from datetime import date
from types import SimpleNamespace

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.test import TestCase
from pypdf import PdfReader

from houses.models import House
from reports import pdf, services
from reports.metrics import Month
from reports.models import Report
from reports.services import report_request
from residents.core.services.stays import stay_admit

from ..clock import local_moment
from ..factories import HouseFactory, ResidentFactory
from .conftest import module_world

try:
    import weasyprint  # noqa: F401  (needs Pango at import time)
except OSError as missing:  # pragma: no cover - depends on the machine
    pytest.skip(f"WeasyPrint cannot load Pango: {missing}", allow_module_level=True)

MARCH = Month(2026, 3)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(local_moment(2026, 4, 10, 9, 0), tick=False):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def houses(organization, house, operator, resident_factory):
    """Three houses with a resident each: in chunks of one house, a report of five parts."""
    more = [HouseFactory(organization=organization, name=f"Willow {n}", beds=4) for n in (1, 2)]
    for each in [house, *more]:
        stay_admit(actor=operator, resident=resident_factory(), bed=each.beds.first(), on=date(2026, 3, 2))
    return [house, *more]


@pytest.fixture
def in_chunks_of_one(monkeypatch):
    monkeypatch.setattr(services, "CHUNK_HOUSES", 1)


def _request(operator, django_capture_on_commit_callbacks) -> Report:
    with django_capture_on_commit_callbacks(execute=True):
        report, _created = report_request(actor=operator, organization=operator.organization, month=MARCH)
    report.refresh_from_db()
    return report


def _lines(reader: PdfReader) -> list[list[str]]:
    return [page.extract_text().splitlines() for page in reader.pages]


def _outline(reader: PdfReader, items=None, depth=0) -> list[tuple[int, str, int]]:
    flat = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            flat += _outline(reader, item, depth + 1)
        else:
            flat.append((depth, item.title, reader.get_destination_page_number(item)))
    return flat


def rendered(organization, house, operator):
    """Three houses of one resident each, their report assembled from parts of one house (the progress recorded as
    each part was done) and rendered in one run: made once for the tests that only read the results (WeasyPrint
    takes seconds per part)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "CHUNK_HOUSES", 1)
        progress = []
        part_done = services._part_done

        def recording(report_id, *args, **kwargs):
            part_done(report_id, *args, **kwargs)
            report = Report.objects.get(pk=report_id)
            progress.append((report.progress_done, report.progress_total))

        patch.setattr(services, "_part_done", recording)
        houses = [house]
        houses += [HouseFactory(organization=organization, name=f"Willow {n}", beds=4) for n in (1, 2)]
        for each in houses:
            resident = ResidentFactory(organization=organization)
            stay_admit(actor=operator, resident=resident, bed=each.beds.first(), on=date(2026, 3, 2))
        with TestCase.captureOnCommitCallbacks(execute=True):
            report, _created = report_request(actor=operator, organization=organization, month=MARCH)
        report.refresh_from_db()
        single, _pages = pdf.render_monthly(organization=organization, month=MARCH)
        return SimpleNamespace(
            report=report, content=default_storage.open(report.file.name).read(), parts=_part_files(report),
            single_run=single, organization_name=organization.name, house_names=sorted(h.name for h in houses),
            progress=progress,
        )  # fmt: skip


# Made once for the module (tests/reports/conftest.py), at the module's frozen instant: the tests asking for
# ``rendered`` read it; the roles are that world's for them, made afresh for the other tests.
globals().update(
    module_world(
        ["organization", "house", "operator"],
        {"rendered": rendered},
        asked_by=["rendered"],
        at=local_moment(2026, 4, 10, 9, 0),
        tick=False,
    )
)


@pytest.fixture
def assembled(rendered) -> PdfReader:
    return PdfReader(io.BytesIO(rendered.content))


@pytest.fixture
def single_run(rendered) -> PdfReader:
    return PdfReader(io.BytesIO(rendered.single_run))


def test_an_organization_report_of_more_houses_than_a_chunk_is_assembled_from_parts(rendered, assembled):
    report = rendered.report
    assert (report.status, report.progress_done, report.progress_total) == ("done", 3, 3)
    assert assembled.pdf_header == "%PDF-1.7"


def test_the_assembled_report_has_the_single_runs_pages_and_text_in_the_same_order(rendered, assembled, single_run):
    assert len(assembled.pages) == rendered.report.pages == len(single_run.pages)
    assert _lines(assembled) == _lines(single_run)


def test_page_numbers_run_across_the_parts(assembled):
    reader = assembled
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in page.extract_text()


def test_the_bookmarks_point_to_the_same_pages_as_in_a_single_run(rendered, assembled, single_run):
    outline = _outline(assembled)
    assert outline == _outline(single_run)
    assert [(depth, title) for depth, title, _page in outline if title in set(rendered.house_names)] == [
        (1, name) for name in rendered.house_names
    ]


def test_the_assembled_report_stays_tagged_for_screen_readers(assembled):
    reader = assembled
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] in (True, "true")
    assert root["/Lang"] == "en"
    document = root["/StructTreeRoot"]["/K"][0].get_object()
    assert document["/S"] == "/Document"
    assert len(document["/K"]) == 5  # head, three houses, tail
    keys = root["/StructTreeRoot"]["/ParentTree"]["/Nums"][::2]
    assert keys == sorted(set(keys))
    assert sorted(page["/StructParents"] for page in reader.pages) == list(range(len(reader.pages)))


def test_the_assembled_report_keeps_the_title_and_author(rendered, assembled):
    metadata = assembled.metadata
    assert metadata.title == f"{rendered.organization_name} · Monthly report · March 2026"
    assert metadata.author == rendered.organization_name


def _part_files(report: Report) -> list[str]:
    directory = f"reports/parts/{report.pk}-{report.attempts}"
    return default_storage.listdir(directory)[1] if default_storage.exists(directory) else []


def test_the_parts_are_deleted_once_assembled(rendered):
    assert rendered.parts == []


def test_the_stored_file_matches_its_sha256_at_every_download(rendered):
    assert hashlib.sha256(rendered.content).hexdigest() == rendered.report.sha256


def test_progress_counts_the_houses_of_each_part_as_it_is_done(rendered):
    # The head and the tail (no houses), then the three chunks, as the module's transaction queues them.
    assert rendered.progress == [(0, 3), (0, 3), (1, 3), (2, 3), (3, 3)]


def test_a_failed_part_fails_the_report_and_asking_again_makes_a_new_one(
    houses, operator, in_chunks_of_one, monkeypatch, django_capture_on_commit_callbacks
):
    render = pdf.render_part

    def failing(**options):
        if options.get("house_ids") == [houses[1].pk]:
            raise RuntimeError("Pango gave up")
        return render(**options)

    monkeypatch.setattr(pdf, "render_part", failing)
    with pytest.raises(RuntimeError):
        _request(operator, django_capture_on_commit_callbacks)
    report = Report.objects.get(organization=operator.organization)
    assert (report.status, report.error) == (Report.Status.FAILED, "Pango gave up")
    assert _part_files(report) == []
    monkeypatch.setattr(pdf, "render_part", render)
    again = _request(operator, django_capture_on_commit_callbacks)
    assert again.pk != report.pk
    assert again.status == Report.Status.DONE


def test_a_part_delivered_twice_is_counted_once(houses, operator, in_chunks_of_one, monkeypatch):
    report = Report.objects.create(
        organization=operator.organization, month=MARCH.first, fingerprint="f", progress_total=3,
        status=Report.Status.RUNNING, attempts=1,
    )  # fmt: skip
    services._part_done(report.pk, 1, 1, 5, b"%PDF-part", houses=1)
    services._part_done(report.pk, 1, 1, 5, b"%PDF-part", houses=1)
    assert Report.objects.get(pk=report.pk).progress_done == 1


def test_an_organization_of_one_chunk_is_rendered_in_one_run(
    houses, operator, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(pdf, "render_part", lambda **options: pytest.fail("rendered in parts"))
    report = _request(operator, django_capture_on_commit_callbacks)
    assert report.status == Report.Status.DONE
    assert House.objects.filter(organization=operator.organization).count() <= services.CHUNK_HOUSES
