"""After ``seed_demo`` the operator has a finished export to download from the Export page, and the demo resident a
finished copy of their record."""

import pytest

from accounts.models import Membership
from exports.models import DataExport
from tests.forms import FormClient

from .helpers import as_dicts, read_zip


def _client(email: str) -> FormClient:
    client = FormClient()
    client.force_login(Membership.objects.get(user__email=email).user)
    return client


@pytest.fixture
def operator_page(demo_db):
    return _client("operator@example.com")


def test_the_demo_operator_downloads_a_finished_export(operator_page):
    export = DataExport.objects.get(organization__slug="second-wind", scope="organization")
    assert export.status == "done"
    assert export.sha256
    html = operator_page.get("/dashboard/export/").content.decode()
    assert f"/dashboard/export/{export.pk}/download/" in html
    response = operator_page.get(f"/dashboard/export/{export.pk}/download/")
    files = read_zip(b"".join(response.streaming_content))
    assert len(as_dicts(files["residents.csv"])) > 10
    assert len(as_dicts(files["ledger.csv"])) > 50


def test_the_demo_resident_downloads_their_record(demo_db):
    export = DataExport.objects.get(
        scope="resident", status="done", resident__membership__user__email="resident@example.com"
    )
    client = _client("resident@example.com")
    response = client.get(f"/portal/my-record/{export.pk}/download/")
    files = read_zip(b"".join(response.streaming_content))
    assert as_dicts(files["profile.csv"])[0]["account_email"] == "resident@example.com"


def test_the_demo_resident_sees_an_older_copy_that_expired_with_no_link(demo_db):
    expired = DataExport.objects.get(scope="resident", status="expired")
    assert not expired.file
    html = _client("resident@example.com").get("/portal/my-record/").content.decode()
    assert f'data-export="{expired.pk}" data-status="expired"' in html
    assert f"/portal/my-record/{expired.pk}/download/" not in html
