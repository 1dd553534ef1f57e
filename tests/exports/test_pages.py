"""The export pages: an operator asks for the organization's export with the page's own form and downloads it when
it is ready; a resident does the same for their own record. The list shows progress and refreshes itself while an
export is being written, at a constant number of queries."""

import lxml.html
import pytest

from exports import services
from exports.models import DataExport
from tests.forms import FormClient

from .helpers import read_zip


def _client(member) -> FormClient:
    client = FormClient()
    client.force_login(member.user)
    return client


def _rows(html: str) -> list:
    return lxml.html.fromstring(html).cssselect("tr[data-export]")


def test_an_operator_asks_for_an_export_and_downloads_it(operator, house, django_capture_on_commit_callbacks):
    client = _client(operator)
    with django_capture_on_commit_callbacks(execute=True):  # the job runs once the request's transaction commits
        assert client.submit("/dashboard/export/").status_code == 302
    response = client.get("/dashboard/export/")
    (row,) = _rows(response.content.decode())
    assert row.get("data-status") == "done"
    link = row.cssselect("a.button")[0].get("href")
    download = client.get(link)
    files = read_zip(b"".join(download.streaming_content))
    assert "houses.csv" in files
    assert house.name in {r[2] for r in files["houses.csv"][1:]}


def test_a_pending_export_shows_its_progress_and_the_page_refreshes_itself(operator):
    services.export_request(actor=operator, organization=operator.organization)  # queued: no worker ran it
    html = _client(operator).get("/dashboard/export/").content.decode()
    document = lxml.html.fromstring(html)
    assert document.cssselect('meta[http-equiv="refresh"]')
    (row,) = _rows(html)
    assert row.get("data-status") == "queued"
    assert row.cssselect("progress")[0].get("value") == "0"
    assert not row.cssselect("a.button")


def test_a_finished_list_does_not_refresh(operator):
    services.command_export(organization=operator.organization)
    html = _client(operator).get("/dashboard/export/").content.decode()
    assert not lxml.html.fromstring(html).cssselect('meta[http-equiv="refresh"]')


def test_asking_twice_while_one_is_written_makes_one(operator):
    first, second = _client(operator).submit_twice("/dashboard/export/")
    assert (first.status_code, second.status_code) == (302, 302)
    assert DataExport.objects.count() == 1


def test_a_resident_asks_for_their_record_and_downloads_it(resident_member, django_capture_on_commit_callbacks):
    client = _client(resident_member)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.submit("/portal/my-record/").status_code == 302
    response = client.get("/portal/my-record/")
    (row,) = _rows(response.content.decode())
    download = client.get(row.cssselect("a.button")[0].get("href"))
    files = read_zip(b"".join(download.streaming_content))
    (profile,) = files["profile.csv"][1:]
    assert profile[0] == str(resident_member.resident.pk)


def test_a_resident_does_not_see_the_organizations_exports(operator, resident_member):
    services.command_export(organization=operator.organization)
    assert _rows(_client(resident_member).get("/portal/my-record/").content.decode()) == []


def test_the_operators_list_does_not_show_residents_records(operator, resident_member):
    services.resident_export_request(actor=resident_member)
    assert _rows(_client(operator).get("/dashboard/export/").content.decode()) == []


@pytest.mark.parametrize("count", [1, 12])
def test_the_export_list_costs_the_same_queries_for_any_number(operator, count, django_assert_max_num_queries):
    for _ in range(count):
        DataExport.objects.create(organization=operator.organization, requested_by=operator, status="done",
                                  sha256="0" * 64, file="exports/x.zip")  # fmt: skip
    client = _client(operator)
    client.get("/dashboard/export/")  # the session and the viewer warmed up
    with django_assert_max_num_queries(12):
        response = client.get("/dashboard/export/")
    assert len(_rows(response.content.decode())) == count
