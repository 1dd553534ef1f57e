"""A stored export holds everything (archived records too), so it is not kept for good: EXPORT_KEEP_DAYS after it was
written the nightly job deletes its zip from storage; the export stays listed as "expired", with no download."""

from datetime import timedelta

import lxml.html
import time_machine
from django.core.files.storage import default_storage

from exports import services
from exports.models import DataExport
from tests.clock import module_clock
from tests.forms import FormClient

from .world import NOW

_clock = module_clock(NOW)


def _client(member) -> FormClient:
    client = FormClient()
    client.force_login(member.user)
    return client


def test_a_written_export_expires_the_kept_days_after_it_was_written(operator, settings):
    settings.EXPORT_KEEP_DAYS = 3
    export = services.command_export(organization=operator.organization)
    assert export.expires_at == export.finished_at + timedelta(days=3)


def test_the_nightly_job_deletes_expired_zips_and_keeps_the_export(operator):
    export = services.command_export(organization=operator.organization)
    name = export.file.name
    with time_machine.travel(NOW + timedelta(days=7, minutes=1)):
        assert services.exports_expire() == [export.pk]
    assert not default_storage.exists(name)
    export.refresh_from_db()
    assert (export.status, export.file.name) == (DataExport.Status.EXPIRED, "")
    assert export.sha256  # what was written stays on record
    assert export.size


def test_the_nightly_job_keeps_zips_still_within_their_days(operator):
    export = services.command_export(organization=operator.organization)
    with time_machine.travel(NOW + timedelta(days=6)):
        assert services.exports_expire() == []
    assert default_storage.exists(export.file.name)
    assert DataExport.objects.get().status == DataExport.Status.DONE


def test_an_expired_export_shows_expired_with_no_download(operator):
    export = services.command_export(organization=operator.organization)
    with time_machine.travel(NOW + timedelta(days=8)):
        services.exports_expire()
    client = _client(operator)
    (row,) = lxml.html.fromstring(client.get("/dashboard/export/").content).cssselect("tr[data-export]")
    assert row.get("data-status") == "expired"
    assert "Expired" in row.text_content()
    assert not row.cssselect("a")
    assert client.get(f"/dashboard/export/{export.pk}/download/").status_code == 404


def test_a_ready_export_says_until_when_it_is_kept(operator):
    services.command_export(organization=operator.organization)
    html = _client(operator).get("/dashboard/export/").content.decode()
    assert "Kept until Mar 17, 2026" in html
