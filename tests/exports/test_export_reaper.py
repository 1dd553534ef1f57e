"""The reaper tells a dead export run from a slow one by its heartbeat (written at every file, on PostgreSQL through
the export's own autocommit connection), gives up after three runs that stopped, and a run it gave up on cannot
overwrite the newer run's file."""

import hashlib
import threading
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from exports import organization as organization_export
from exports import services
from exports.models import DataExport
from tests.clock import module_clock

from .helpers import read_zip, stored
from .world import NOW

_clock = module_clock(NOW)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _running(organization, *, started: timedelta, heartbeat: timedelta, attempts: int = 1, **fields) -> DataExport:
    export = DataExport.objects.create(
        organization=organization, status=DataExport.Status.RUNNING, progress_done=5, progress_total=70, **fields
    )
    now = timezone.now()
    DataExport.objects.filter(pk=export.pk).update(
        started_at=now - started, heartbeat_at=now - heartbeat, attempts=attempts
    )
    return export


def _writing(monkeypatch, write):
    """The organization export writes what ``write(zip_file, progress)`` does instead of the organization's data."""
    monkeypatch.setattr(
        organization_export, "write_organization", lambda zip_file, organization, *, stamp, progress: write(
            zip_file, progress
        )
    )  # fmt: skip


def _elsewhere(work):
    """Runs ``work`` on another connection (another thread), committed, as the reaper or a page would."""
    result = {}

    def run():
        try:
            result["value"] = work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result["value"]


def _stored_files(export) -> list[str]:
    return default_storage.listdir(export.file.name.rsplit("/", 1)[0])[1]


def test_an_export_started_long_ago_but_beating_now_is_not_queued_again(operator, django_capture_on_commit_callbacks):
    export = _running(operator.organization, started=timedelta(hours=2), heartbeat=timedelta(seconds=30))
    with django_capture_on_commit_callbacks() as sent:
        assert services.exports_requeue_stuck() == []
    assert sent == []
    assert DataExport.objects.get(pk=export.pk).status == DataExport.Status.RUNNING


def test_an_export_silent_past_thirty_minutes_is_queued_again_from_scratch(
    operator, django_capture_on_commit_callbacks
):
    export = _running(operator.organization, started=timedelta(minutes=40), heartbeat=timedelta(minutes=31))
    with django_capture_on_commit_callbacks() as sent:
        assert services.exports_requeue_stuck() == [export.pk]
    export.refresh_from_db()
    assert (export.status, export.progress_done, export.attempts) == (DataExport.Status.QUEUED, 0, 1)
    assert len(sent) == 1


def test_an_export_whose_third_run_stopped_fails_instead_of_a_fourth_run(operator, django_capture_on_commit_callbacks):
    export = _running(operator.organization, started=timedelta(hours=1), heartbeat=timedelta(minutes=31), attempts=3)
    with django_capture_on_commit_callbacks() as sent:
        assert services.exports_requeue_stuck() == []
    export.refresh_from_db()
    assert (export.status, export.error) == (DataExport.Status.FAILED, "Writing the export stopped 3 times; ask again.")
    assert sent == []


def test_asking_for_an_export_while_one_started_long_ago_still_beats_returns_it(
    operator, django_capture_on_commit_callbacks
):
    busy = _running(operator.organization, started=timedelta(hours=2), heartbeat=timedelta(minutes=1))
    with django_capture_on_commit_callbacks() as sent:
        export, queued = services.export_request(actor=operator, organization=operator.organization)
    assert (export.pk, queued, sent) == (busy.pk, False, [])
    assert DataExport.objects.get().status == DataExport.Status.RUNNING


def test_asking_for_an_export_after_its_third_run_stopped_fails_it_and_queues_a_new_one(
    operator, django_capture_on_commit_callbacks
):
    stuck = _running(operator.organization, started=timedelta(hours=2), heartbeat=timedelta(minutes=31), attempts=3)
    with django_capture_on_commit_callbacks() as sent:
        export, queued = services.export_request(actor=operator, organization=operator.organization)
    assert export.pk != stuck.pk
    assert (export.status, queued, len(sent)) == (DataExport.Status.QUEUED, True, 1)
    assert DataExport.objects.get(pk=stuck.pk).status == DataExport.Status.FAILED


def test_claiming_an_export_stamps_its_start_and_heartbeat_and_counts_the_attempt(operator):
    export = DataExport.objects.create(organization=operator.organization, progress_total=1)
    export = services.export_generate(export_id=export.pk)
    assert (export.status, export.attempts) == (DataExport.Status.DONE, 1)
    assert export.started_at is not None
    assert export.heartbeat_at >= export.started_at


def test_a_superseded_run_does_not_overwrite_the_newer_runs_file_and_its_own_is_deleted(operator, monkeypatch):
    export = DataExport.objects.create(organization=operator.organization, progress_total=1)
    runs = []

    def write(zip_file, progress):
        runs.append(len(runs) + 1)
        if runs == [1]:
            # The first run goes silent; the reaper gives the export to a second run, which finishes first.
            progress(1)
            DataExport.objects.filter(pk=export.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=31))
            assert services.exports_requeue_stuck() == [export.pk]
            services.export_generate(export_id=export.pk)
            zip_file.write_text("run.txt", "first run")
        else:
            zip_file.write_text("run.txt", "second run")

    _writing(monkeypatch, write)
    services.export_generate(export_id=export.pk)
    export.refresh_from_db()
    assert (export.status, export.attempts) == (DataExport.Status.DONE, 2)
    data = stored(export)
    assert read_zip(data)["run.txt"] == "second run"
    assert export.sha256 == hashlib.sha256(data).hexdigest()
    assert _stored_files(export) == [export.file.name.rsplit("/", 1)[1]]


def test_a_superseded_run_stops_at_its_next_progress(operator, monkeypatch):
    export = DataExport.objects.create(organization=operator.organization, progress_total=2)
    files_after_losing_the_claim = []

    def write(zip_file, progress):
        DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.QUEUED)  # the reaper gave it away
        progress(1)
        files_after_losing_the_claim.append(1)

    _writing(monkeypatch, write)
    services.export_generate(export_id=export.pk)
    assert files_after_losing_the_claim == []
    export.refresh_from_db()
    assert (export.status, export.file.name) == (DataExport.Status.QUEUED, "")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_heartbeat_is_written_through_the_exports_own_connection(operator, monkeypatch):
    export = DataExport.objects.create(organization=operator.organization, progress_total=1)
    beats = []

    def write(zip_file, progress):
        # The run reads a read-only snapshot; elsewhere its beat is back-dated, then seen brought forward.
        _elsewhere(
            lambda: DataExport.objects.filter(pk=export.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
        )
        progress(1)
        beats.append(_elsewhere(lambda: DataExport.objects.values_list("heartbeat_at", flat=True).get(pk=export.pk)))

    _writing(monkeypatch, write)
    services.export_generate(export_id=export.pk)
    assert beats[0] > timezone.now() - timedelta(minutes=1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_superseded_run_stops_at_its_next_progress(operator, monkeypatch):
    export = DataExport.objects.create(organization=operator.organization, progress_total=2)
    files_after_losing_the_claim = []

    def write(zip_file, progress):
        _elsewhere(lambda: DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.QUEUED))
        progress(1)
        files_after_losing_the_claim.append(1)

    _writing(monkeypatch, write)
    services.export_generate(export_id=export.pk)
    assert files_after_losing_the_claim == []
    assert DataExport.objects.get(pk=export.pk).status == DataExport.Status.QUEUED
