"""A worker killed mid-report (``kill -9``): the report is not left "running" for good. Tasks are acknowledged only
once done (acks_late) but never handed straight back when their worker dies (a task that kills its worker would loop);
the reaper queues a report whose run went silent again, and the next worker makes it from scratch and it ends "done"
with its file. Real worker processes on a Redis queue of the test's own."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from config.celery import app
from reports.metrics import Month
from reports.models import Report
from reports.services import report_request, reports_requeue_stuck

from .conftest import broker_at, redis_url

ROOT = Path(__file__).resolve().parents[2]


def test_report_tasks_are_acknowledged_once_done_and_not_redelivered_at_once_when_their_worker_dies():
    from reports.tasks import generate_report

    assert app.conf.task_acks_late
    assert not app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    assert generate_report.acks_late
    assert not generate_report.reject_on_worker_lost


def test_tasks_have_a_soft_and_a_hard_time_limit_below_the_visibility_timeout():
    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit
    assert app.conf.task_time_limit < app.conf.broker_transport_options["visibility_timeout"]


def test_the_reaper_queues_again_only_the_reports_silent_past_the_limit(organization):
    now = timezone.now()
    stuck = Report.objects.create(
        organization=organization,
        month=date(2026, 5, 1),
        fingerprint="f",
        status=Report.Status.RUNNING,
        progress_done=2,
        attempts=1,
    )
    busy = Report.objects.create(
        organization=organization, month=date(2026, 4, 1), fingerprint="f", status=Report.Status.RUNNING, attempts=1
    )
    Report.objects.filter(pk=stuck.pk).update(
        started_at=now - timedelta(minutes=20), heartbeat_at=now - timedelta(minutes=16)
    )
    Report.objects.filter(pk=busy.pk).update(
        created_at=now - timedelta(hours=1), started_at=now - timedelta(minutes=40), heartbeat_at=now
    )
    assert reports_requeue_stuck() == [stuck.pk]
    stuck.refresh_from_db()
    assert (stuck.status, stuck.progress_done) == (Report.Status.QUEUED, 0)
    assert Report.objects.get(pk=busy.pk).status == Report.Status.RUNNING


def test_beat_runs_the_reaper_and_the_resend_job():
    jobs = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"reports.tasks.requeue_stuck_reports", "accounts.tasks.resend_deferred_tasks"} <= jobs
    assert {"reports.tasks.requeue_stuck_reports", "accounts.tasks.resend_deferred_tasks"} <= set(app.tasks)


def database_url() -> str:
    params = connection.settings_dict
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    return f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"


def start_worker(queue: str, *, slow_report: float = 0) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": redis_url(),
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "HEARTH_FAULTS_SLOW_REPORT": str(slow_report),
    }
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.faults.slow_worker", queue],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(report: Report, status: str, *, seconds: float) -> Report:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status == status:
            return report
        time.sleep(0.2)
    pytest.fail(f"the report stayed {report.status!r}, never {status!r}")


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def forget_unacknowledged(queue: str) -> None:
    """Removes the killed worker's unacknowledged message of ``queue`` from the faults' Redis database (Redis would
    hand it back after the visibility timeout; nothing of this test must outlive it)."""
    client = redis.Redis.from_url(redis_url())
    for tag, raw in client.hgetall("unacked").items():
        if json.loads(raw)[2] == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_report_whose_worker_was_killed_mid_report_is_made_again_by_the_next_worker(operator, house, private_queue):
    workers = []
    try:
        with broker_at(redis_url(), queue=private_queue):
            report, created = report_request(actor=operator, organization=operator.organization, month=Month(2026, 5))
            assert created
            workers.append(start_worker(private_queue, slow_report=60))
            wait_for(report, Report.Status.RUNNING, seconds=30)
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait(timeout=10)
            assert Report.objects.get(pk=report.pk).status == Report.Status.RUNNING  # stuck, until the reaper runs
            # Its run beats no more; 16 minutes later (on this test's clock, which the worker's need not share):
            Report.objects.filter(pk=report.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=16))
            assert reports_requeue_stuck() == [report.pk]
            workers.append(start_worker(private_queue))
            report = wait_for(report, Report.Status.DONE, seconds=60)
    finally:
        for worker in workers:
            stop(worker)
        forget_unacknowledged(private_queue)
    assert report.month == date(2026, 5, 1)
    assert report.progress_done == report.progress_total
    assert report.attempts == 2
    assert default_storage.exists(report.file.name)
    assert default_storage.open(report.file.name).read(5) == b"%PDF-"
