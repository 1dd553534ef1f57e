"""Evidence links on the house certification page go to pages and files a person can open, never to the API.

Each link is followed as a browser would: it must resolve to a page route, answer 200 for the operator, land on an
element of its page (the anchor exists), and answer 404 to an operator of another organization.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import time_machine
from django.urls import resolve

from accounts.models import AuditEntry
from compliance.models import Document
from compliance.services import inspections as inspection_services
from compliance.services import safety as safety_services
from compliance.services.drills import drill_log

from .conftest import aware, pdf, upload

# A Wednesday afternoon in the houses' time zone; every date below is worked from it, whatever the real day.
NOW = datetime(2026, 4, 15, 14, 0, tzinfo=ZoneInfo("America/Chicago"))
TODAY = date(2026, 4, 15)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def evidenced(operator, level_two, resident_member):
    """Maple House with one of every kind of evidence: a house document and an organization-wide one, a completed
    inspection that left an open corrective action, a drill, a naloxone kit, and a resident (``resident_member``)
    with no emergency contact."""
    upload(operator, level_two, "refund_policy", title="Refunds 2026")
    upload(operator, None, "code_of_ethics", title="Code of ethics")
    inspection = inspection_services.inspection_start(
        actor=operator, house=level_two, inspected_on=TODAY - timedelta(days=3)
    )
    for line in inspection.lines.order_by("position"):
        extra = {}
        if line.item == "fire_extinguisher":
            extra = {"location": "Kitchen", "last_serviced_on": TODAY - timedelta(days=30)}
        if line.item == "naloxone_kit":
            extra = {"location": "Hall", "quantity": 2, "expires_on": TODAY + timedelta(days=200)}
        result = "fail" if line.item == "exits_clear" else "pass"
        inspection_services.inspection_line_record(actor=operator, line=line, result=result, note="Seen", **extra)
    inspection_services.inspection_complete(actor=operator, inspection=inspection)
    drill_log(
        actor=operator, house=level_two, held_at=aware(TODAY - timedelta(days=10), hour=19), residents_present=4,
        evacuation_minutes=Decimal("2.5"),
    )  # fmt: skip
    safety_services.safety_equipment_add(
        actor=operator, house=level_two, kind="naloxone_kit", location="Office", quantity=1,
        expires_on=TODAY + timedelta(days=90),
    )  # fmt: skip
    return level_two


def _house_page(house) -> str:
    return f"/dashboard/houses/{house.pk}/certification/"


def _evidence_links(client, house) -> list[str]:
    html = client.get(_house_page(house)).content.decode()
    return lxml.html.fromstring(html).xpath("//table[contains(@class, 'rules')]//a/@href")


def test_every_kind_of_evidence_on_the_house_page_links_to_a_page_route(page, operator, evidenced):
    links = _evidence_links(page(operator), evidenced)
    routes = {resolve(urlsplit(link).path).view_name for link in links}
    anchors = {urlsplit(link).fragment.rsplit("-", 1)[0] for link in links if urlsplit(link).fragment}
    assert routes == {"compliance:house-certification", "compliance:document-download", "compliance:inspection",
                      "resident"}  # fmt: skip
    assert anchors == {"document", "corrective-action", "drill", "equipment", "profile"}
    assert not [link for link in links if urlsplit(link).path.startswith("/api/")]


def test_each_evidence_link_on_the_house_page_answers_200_for_the_operator(page, operator, evidenced):
    client = page(operator)
    for link in _evidence_links(client, evidenced):
        assert client.get(link).status_code == 200, link


def test_each_evidence_anchor_lands_on_an_element_of_its_page(page, operator, evidenced):
    client = page(operator)
    for link in _evidence_links(client, evidenced):
        path, fragment = urlsplit(link).path, urlsplit(link).fragment
        if fragment:
            target = lxml.html.fromstring(client.get(path).content.decode())
            assert target.get_element_by_id(fragment, None) is not None, link


def test_another_organizations_operator_gets_404_from_every_evidence_link(page, operator, outsider, evidenced):
    links = _evidence_links(page(operator), evidenced)
    stranger = page(outsider)
    for link in links:
        assert stranger.get(link).status_code == 404, link


def test_the_house_page_names_each_piece_of_evidence_its_links_point_at(page, operator, evidenced):
    html = page(operator).get(_house_page(evidenced)).content.decode()
    assert "Refunds 2026" in html
    assert "Office" in html  # the safety equipment section the naloxone kit's link lands on
    assert "Fire evacuation" in html  # the drill the drill link lands on


def test_downloading_a_document_from_the_house_page_gives_its_file_and_audits_it(page, operator, evidenced):
    document = Document.objects.get(title="Refunds 2026")
    client = page(operator)
    html = client.get(_house_page(evidenced)).content.decode()
    [link] = lxml.html.fromstring(html).xpath(f"//tr[@id='document-{document.pk}']//a/@href")
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="refunds-2026.pdf"'
    assert b"".join(response.streaming_content) == document.file.open("rb").read()
    entry = AuditEntry.objects.get(action="download")
    assert (entry.actor, entry.object_type, entry.object_id, entry.path) == (
        operator.user, "compliance.document", str(document.pk), link
    )  # fmt: skip


def test_the_page_download_guards_the_file_with_the_same_headers_as_the_api(page, api, operator, evidenced):
    document = Document.objects.get(title="Refunds 2026")
    from_page = page(operator).get(f"/dashboard/documents/{document.pk}/download/")
    from_api = api(operator).get(f"/api/v1/documents/{document.pk}/download/")
    headers = [
        "Content-Type", "Content-Disposition", "Cache-Control", "X-Content-Type-Options", "Content-Security-Policy",
    ]  # fmt: skip
    assert [from_page[name] for name in headers] == [from_api[name] for name in headers]


def test_a_manager_cannot_download_a_document_of_a_house_they_do_not_run(page, operator, manager, other_house):
    document = upload(operator, other_house, "refund_policy")
    assert page(manager).get(f"/dashboard/documents/{document.pk}/download/").status_code == 404


def test_a_manager_downloads_the_organization_wide_documents_their_house_counts_on(page, operator, manager, house):
    document = upload(operator, None, "code_of_ethics")
    assert page(manager).get(f"/dashboard/documents/{document.pk}/download/").status_code == 200


def test_a_resident_cannot_use_the_staff_download_page(page, operator, resident_member, house):
    # The resident cannot load any certification page, so this request goes straight to the URL.
    document = upload(operator, house, "resident_handbook")
    assert page(resident_member).get(f"/dashboard/documents/{document.pk}/download/").status_code == 403


def test_a_document_filed_from_the_page_downloads_from_its_link(page, manager, level_two):
    client = page(manager)
    response = client.submit(
        _house_page(level_two),
        {"kind": "refund_policy", "title": "House refund policy", "file": pdf(), "issued_on": "2026-04-01"},
        form="form[enctype='multipart/form-data']",
        button="Upload",
        follow=True,
    )
    assert "Filed “House refund policy”." in response.content.decode()
    document = Document.objects.get()
    [link] = lxml.html.fromstring(response.content.decode()).xpath(f"//tr[@id='document-{document.pk}']//a/@href")
    assert link == f"/dashboard/documents/{document.pk}/download/"
    assert client.get(link).status_code == 200


def test_the_evidence_pack_button_is_a_page_route(page, operator, evidenced):
    html = page(operator).get(_house_page(evidenced)).content.decode()
    [action] = lxml.html.fromstring(html).xpath(
        "//form[.//button[normalize-space()='Download the evidence pack (PDF)']]/@action"
    )
    assert action == f"/dashboard/houses/{evidenced.pk}/certification/pack/"


def test_another_organizations_operator_gets_404_from_the_evidence_pack_page(page, outsider, level_two):
    assert page(outsider).get(f"/dashboard/houses/{level_two.pk}/certification/pack/").status_code == 404


def test_the_api_gives_people_the_same_page_links_and_keeps_its_own_download_url(api, operator, evidenced):
    client = api(operator)
    rules = client.get(f"/api/v1/houses/{evidenced.pk}/certification/").json()["rules"]
    urls = [link["url"] for rule in rules for item in rule["evidence"] for link in item["links"]]
    assert len(urls) >= 7
    assert not [url for url in urls if url.startswith("/api/")]
    document = Document.objects.get(title="Refunds 2026")
    assert (
        client.get(f"/api/v1/documents/{document.pk}/")
        .json()["download_url"]
        .endswith(f"/api/v1/documents/{document.pk}/download/")
    )
