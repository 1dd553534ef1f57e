"""Certification pages: the house page, the inspection walk-through (no JavaScript needed), the overview grid."""

from datetime import timedelta

import pytest

from compliance.models import CorrectiveAction, Document, Drill, Inspection
from compliance.services import inspections as inspection_services

from .conftest import EXE_BYTES, pdf, stored_files, upload


@pytest.fixture
def page(page, manager):
    return page(manager)


def _url(house, tail="certification/"):
    return f"/dashboard/houses/{house.pk}/{tail}"


def test_the_house_page_lists_rules_with_text_status_and_evidence_links(page, manager, level_two):
    document = upload(manager, level_two, "refund_policy", title="Refunds 2026")
    html = page.get(_url(level_two)).content.decode()
    assert "1.A.3.c" in html
    assert "2.F.17.c" in html
    assert '<span class="badge ok">Met</span>' in html
    assert '<span class="badge bad">Missing</span>' in html
    assert f'href="/dashboard/documents/{document.pk}/download/"' in html
    assert "Start an inspection" in html
    assert "Download the evidence pack (PDF)" in html
    assert 'enctype="multipart/form-data"' in html


def test_the_house_page_audits_the_documents_it_lists(page, manager, level_two):
    from accounts.models import AuditEntry

    document = upload(manager, level_two, "refund_policy")
    page.get(_url(level_two))
    entry = AuditEntry.objects.get(object_type="compliance.document", action="list")
    assert (entry.actor, entry.detail) == (manager.user, str(document.pk))


def test_a_manager_cannot_open_a_house_they_do_not_run(page, other_house):
    assert page.get(_url(other_house)).status_code == 404


def test_a_resident_cannot_open_certification_pages(client, resident_member, house):
    client.force_login(resident_member.user)
    assert client.get(_url(house)).status_code == 403
    assert client.get("/dashboard/certification/").status_code == 403


def test_uploading_a_document_from_the_page(page, level_two, media_root):
    response = page.submit(
        _url(level_two),
        {"kind": "refund_policy", "title": "Refund policy", "file": pdf(), "issued_on": "2026-01-01"},
        button="Upload",
    )
    assert response.status_code == 302
    assert Document.objects.get().house == level_two
    assert len(stored_files(media_root)) == 1


def test_a_refused_upload_shows_the_reason_beside_the_field_and_stores_nothing(page, level_two, media_root):
    response = page.submit(
        _url(level_two),
        {"kind": "refund_policy", "title": "Refund policy", "file": pdf(name="x.pdf", content=EXE_BYTES)},
        button="Upload",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_file_error"' in html
    assert "Upload a PDF, PNG or JPEG file" in html
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_a_manager_is_not_offered_organization_wide_filing(page, level_two):
    assert "For the whole organization" not in page.get(_url(level_two)).content.decode()


def test_logging_a_drill_from_the_page_in_the_houses_time_zone(page, level_two, today):
    held = f"{today - timedelta(days=1)}T19:30"
    response = page.submit(
        _url(level_two),
        {"held_at": held, "kind": "fire", "residents_present": 5, "evacuation_minutes": "2.5"},
        button="Log the drill",
    )
    assert response.status_code == 302
    drill = Drill.objects.get()
    assert drill.held_at.astimezone(level_two.organization.tzinfo).strftime("%H:%M") == "19:30"


def test_a_drill_in_the_future_is_shown_beside_held_at(page, level_two, today):
    held = f"{today + timedelta(days=2)}T19:30"
    response = page.submit(
        _url(level_two),
        {"held_at": held, "kind": "fire", "residents_present": 5, "evacuation_minutes": "2"},
        button="Log the drill",
    )
    assert response.status_code == 400
    assert 'id="drill_held_at_error"' in response.content.decode()  # the drill form's ids start with drill_
    assert not Drill.objects.exists()


def test_starting_an_inspection_opens_its_form(page, level_two):
    response = page.submit(_url(level_two), button="Start an inspection")
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/houses/{level_two.pk}/inspections/{inspection.pk}/"


def test_the_inspection_form_has_big_pass_fail_radios_and_a_note_per_line(page, manager, level_two):
    inspection = inspection_services.inspection_start(actor=manager, house=level_two)
    html = page.get(_url(level_two, f"inspections/{inspection.pk}/")).content.decode()
    lines = inspection.lines.count()
    assert html.count('type="radio"') == 2 * lines
    assert html.count('class="choice pass"') == lines
    assert html.count("<legend") == lines
    assert 'name="complete"' in html
    assert "<script" not in html.split("</main>")[0]  # the form itself needs no JavaScript
    assert 'name="viewport"' in html


def _answers(inspection, **overrides):
    data = {}
    for line in inspection.lines.all():
        prefix = f"line-{line.pk}"
        data[f"{prefix}-result"] = "pass"
        if line.item == "fire_extinguisher":
            data[f"{prefix}-location"] = "Kitchen"
            data[f"{prefix}-last_serviced_on"] = str(inspection.inspected_on)
        if line.item == "naloxone_kit":
            data[f"{prefix}-location"] = "Hall"
            data[f"{prefix}-quantity"] = "2"
            data[f"{prefix}-expires_on"] = str(inspection.inspected_on + timedelta(days=200))
    data.update(overrides)
    return data


def test_walking_the_house_and_completing_from_the_form(page, manager, level_two):
    inspection = inspection_services.inspection_start(actor=manager, house=level_two)
    exits = inspection.lines.get(item="exits_clear")
    data = _answers(inspection, **{f"line-{exits.pk}-result": "fail", f"line-{exits.pk}-note": "Shoes on the stairs"})
    response = page.submit(_url(level_two, f"inspections/{inspection.pk}/"), data, button="Save and complete")
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == "completed"
    assert CorrectiveAction.objects.get().description == "Exits and hallways clear: Shoes on the stairs"


def test_saving_part_of_the_walk_keeps_the_answers_for_later(page, manager, level_two):
    inspection = inspection_services.inspection_start(actor=manager, house=level_two)
    first = inspection.lines.order_by("position").first()
    response = page.submit(
        _url(level_two, f"inspections/{inspection.pk}/"), {f"line-{first.pk}-result": "pass"}, button="Save answers"
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.result == "pass"


def test_completing_with_unanswered_lines_saves_the_answers_and_says_why(page, manager, level_two):
    inspection = inspection_services.inspection_start(actor=manager, house=level_two)
    first = inspection.lines.order_by("position").first()
    response = page.submit(
        _url(level_two, f"inspections/{inspection.pk}/"),
        {f"line-{first.pk}-result": "pass"},
        button="Save and complete",
    )
    assert response.status_code == 400
    assert "not answered yet" in response.content.decode()
    first.refresh_from_db()
    assert first.result == "pass"
    inspection.refresh_from_db()
    assert inspection.status == "in_progress"


def test_a_fail_without_a_note_is_shown_beside_the_note_and_nothing_is_saved(page, manager, level_two):
    inspection = inspection_services.inspection_start(actor=manager, house=level_two)
    exits = inspection.lines.get(item="exits_clear")
    data = _answers(inspection, **{f"line-{exits.pk}-result": "fail"})
    response = page.submit(_url(level_two, f"inspections/{inspection.pk}/"), data, button="Save and complete")
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_line-{exits.pk}-note_error"' in html
    assert "Nothing was saved" in html
    assert not inspection.lines.exclude(result="").exists()
    assert not CorrectiveAction.objects.exists()


def test_recording_a_fix_from_the_page(page, manager, level_two):
    inspection = inspection_services.inspection_start(actor=manager, house=level_two)
    line = inspection.lines.get(item="exits_clear")
    inspection_services.inspection_line_record(actor=manager, line=line, result="fail", note="Boxes")
    action = CorrectiveAction.objects.get()
    assert "Record the fix" in page.get(_url(level_two)).content.decode()
    response = page.submit(
        _url(level_two), {f"fix-{action.pk}-note": "Moved"}, form=f"#corrective-action-{action.pk} form"
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.fix_note == "Moved"


def test_the_overview_is_an_accessible_grid_of_houses_and_rules(client, operator, level_two, other_house):
    client.force_login(operator.user)
    html = client.get("/dashboard/certification/").content.decode()
    assert "<caption" in html
    assert '<th scope="row" class="rule-head"><strong>1.A.3.a</strong> Fees disclosed up front</th>' in html
    assert (
        f'<th scope="col" class="house-head"><a href="/dashboard/houses/{level_two.pk}/certification/">Maple House</a>'
        in html
    )
    assert "Willow House" in html
    assert '<span class="badge bad">Missing</span>' in html
    assert '<span class="badge na">Not applicable</span>' in html  # Willow House has no level


def test_the_overview_is_for_operators(page):
    assert page.get("/dashboard/certification/").status_code == 403
