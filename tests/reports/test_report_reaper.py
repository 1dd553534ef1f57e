"""The reaper tells a dead report run from a slow one by its heartbeat, gives up after three runs that stopped, and
a run it gave up on cannot overwrite the newer run's file."""

import hashlib
from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from reports import pdf
from reports.models import Report
from reports.services import report_generate, reports_requeue_stuck


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def running(organization, *, asked: timedelta, heartbeat: timedelta, attempts: int = 1) -> Report:
    report = Report.objects.create(
        organization=organization, month=date(2026, 5, 1), fingerprint="f", status=Report.Status.RUNNING
    )
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        created_at=now - asked, started_at=now - heartbeat, heartbeat_at=now - heartbeat, attempts=attempts
    )
    return report


def test_a_report_asked_for_long_ago_but_beating_now_is_not_queued_again(organization):
    report = running(organization, asked=timedelta(hours=2), heartbeat=timedelta(seconds=30))
    assert reports_requeue_stuck() == []
    assert Report.objects.get(pk=report.pk).status == Report.Status.RUNNING


def test_a_report_silent_past_the_limit_is_queued_again_from_scratch(organization):
    report = running(organization, asked=timedelta(minutes=20), heartbeat=timedelta(minutes=16))
    Report.objects.filter(pk=report.pk).update(progress_done=2)
    assert reports_requeue_stuck() == [report.pk]
    report.refresh_from_db()
    assert (report.status, report.progress_done) == (Report.Status.QUEUED, 0)


def test_a_report_whose_third_run_stopped_fails_instead_of_a_fourth_run(organization):
    report = running(organization, asked=timedelta(hours=1), heartbeat=timedelta(minutes=16), attempts=3)
    assert reports_requeue_stuck() == []
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == "Rendering stopped 3 times; ask again."


def test_claiming_a_report_stamps_its_start_and_heartbeat_and_counts_the_attempt(organization, monkeypatch):
    monkeypatch.setattr(pdf, "render_monthly", lambda **kwargs: (b"%PDF-done", 1))
    report = Report.objects.create(organization=organization, month=date(2026, 5, 1), fingerprint="f")
    report = report_generate(report_id=report.pk)
    assert report.status == Report.Status.DONE
    assert report.attempts == 1
    assert report.started_at is not None
    assert report.heartbeat_at >= report.started_at


def test_a_superseded_run_does_not_overwrite_the_newer_runs_file(organization, monkeypatch):
    report = Report.objects.create(organization=organization, month=date(2026, 5, 1), fingerprint="f")
    runs = []

    def render(*, on_house_done, **kwargs):
        runs.append(len(runs) + 1)
        if runs == [1]:
            # The first run goes silent; the reaper gives the report to a second run, which finishes first.
            on_house_done(1, 2)
            Report.objects.filter(pk=report.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=16))
            assert reports_requeue_stuck() == [report.pk]
            report_generate(report_id=report.pk)
            return b"%PDF-first-run", 1
        return b"%PDF-second-run", 1

    monkeypatch.setattr(pdf, "render_monthly", render)
    report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.DONE, 2)
    assert default_storage.open(report.file.name).read() == b"%PDF-second-run"
    assert report.sha256 == hashlib.sha256(b"%PDF-second-run").hexdigest()
    assert default_storage.listdir(report.file.name.rsplit("/", 1)[0])[1] == [report.file.name.rsplit("/", 1)[1]]


def test_a_superseded_run_stops_at_its_next_progress(organization, monkeypatch):
    report = Report.objects.create(organization=organization, month=date(2026, 5, 1), fingerprint="f")
    houses_after_losing_the_claim = []

    def render(*, on_house_done, **kwargs):
        Report.objects.filter(pk=report.pk).update(status=Report.Status.QUEUED)  # the reaper gave it away
        on_house_done(1, 2)
        houses_after_losing_the_claim.append(1)
        return b"%PDF-late", 1

    monkeypatch.setattr(pdf, "render_monthly", render)
    report_generate(report_id=report.pk)
    assert houses_after_losing_the_claim == []
    assert Report.objects.get(pk=report.pk).status == Report.Status.QUEUED
