"""An export never gets stuck for good: with Redis down its job is kept (and the page says it starts once the worker
is reachable); an export left "running" by a worker that died is queued again, by the beat job after 30 minutes or
by the next request for one."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import DeferredTask
from accounts.queue import DEFERRED_MESSAGE
from config.celery import app
from exports import services
from exports.models import DataExport
from tests.clock import module_clock
from tests.faults.conftest import DEAD_REDIS, broker_at
from tests.forms import FormClient

from .world import NOW

_clock = module_clock(NOW)


@pytest.fixture
def broker_down():
    with broker_at(DEAD_REDIS):
        yield


def _client(member) -> FormClient:
    client = FormClient()
    client.force_login(member.user)
    return client


def _running(organization, *, started_minutes_ago: int, **fields) -> DataExport:
    return DataExport.objects.create(
        organization=organization, status=DataExport.Status.RUNNING, progress_done=5, progress_total=70,
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago), **fields,
    )  # fmt: skip


# A real commit: the job is handed to the broker when the request's transaction commits, as in production.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("broker_down")
def test_an_export_asked_for_while_redis_is_down_is_kept_and_the_page_says_so(operator):
    client = _client(operator)
    response = client.submit("/dashboard/export/")
    assert response.status_code == 302
    assert str(DEFERRED_MESSAGE) in client.get(response["Location"]).content.decode()
    export = DataExport.objects.get()
    assert export.status == DataExport.Status.QUEUED
    assert list(DeferredTask.objects.values_list("name", "args")) == [("exports.tasks.generate_export", [export.pk])]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("broker_down")
def test_a_residents_record_asked_for_while_redis_is_down_is_kept_and_the_page_says_so(resident_member):
    client = _client(resident_member)
    response = client.submit("/portal/my-record/")
    assert str(DEFERRED_MESSAGE) in client.get(response["Location"]).content.decode()
    export = DataExport.objects.get()
    assert list(DeferredTask.objects.values_list("name", "args")) == [("exports.tasks.generate_export", [export.pk])]


def test_a_worker_taking_an_export_records_when_it_started(operator):
    export = DataExport.objects.create(organization=operator.organization, progress_total=1)
    before = timezone.now()
    export = services.export_generate(export_id=export.pk)
    assert export.started_at >= before
    assert export.status == DataExport.Status.DONE


def test_the_reaper_queues_again_only_exports_running_past_thirty_minutes(operator, django_capture_on_commit_callbacks):
    stuck = _running(operator.organization, started_minutes_ago=31)
    busy = _running(operator.organization, started_minutes_ago=10)
    with django_capture_on_commit_callbacks() as sent:
        assert services.exports_requeue_stuck() == [stuck.pk]
    stuck.refresh_from_db()
    assert (stuck.status, stuck.progress_done, stuck.started_at) == (DataExport.Status.QUEUED, 0, None)
    assert len(sent) == 1
    assert DataExport.objects.get(pk=busy.pk).status == DataExport.Status.RUNNING


def test_an_export_queued_again_by_the_reaper_is_written_by_the_next_worker(
    operator, django_capture_on_commit_callbacks
):
    stuck = _running(operator.organization, started_minutes_ago=45)
    # The dead worker's message, given back by the broker, finds the export claimed and leaves it.
    assert services.export_generate(export_id=stuck.pk).status == DataExport.Status.RUNNING
    with django_capture_on_commit_callbacks(execute=True):
        services.exports_requeue_stuck()
    stuck.refresh_from_db()
    assert stuck.status == DataExport.Status.DONE
    assert stuck.file


def test_beat_runs_the_exports_reaper_and_expiry(db):
    jobs = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"exports.tasks.requeue_stuck_exports", "exports.tasks.expire_exports"} <= jobs
    app.loader.import_default_modules()  # the worker's discovery of every app's tasks module
    assert {"exports.tasks.requeue_stuck_exports", "exports.tasks.expire_exports"} <= set(app.tasks)


def test_asking_for_an_export_queues_again_one_stuck_running(operator, django_capture_on_commit_callbacks):
    stuck = _running(operator.organization, started_minutes_ago=40, requested_by=operator)
    with django_capture_on_commit_callbacks(execute=True):
        export, queued = services.export_request(actor=operator, organization=operator.organization)
    assert (export.pk, queued) == (stuck.pk, True)
    assert DataExport.objects.count() == 1
    assert DataExport.objects.get().status == DataExport.Status.DONE


def test_asking_for_an_export_while_one_runs_returns_it(operator, django_capture_on_commit_callbacks):
    busy = _running(operator.organization, started_minutes_ago=5, requested_by=operator)
    with django_capture_on_commit_callbacks() as sent:
        export, queued = services.export_request(actor=operator, organization=operator.organization)
    assert (export.pk, queued, sent) == (busy.pk, False, [])
    assert DataExport.objects.get().status == DataExport.Status.RUNNING


def test_asking_for_ones_record_queues_again_one_stuck_running(resident_member, django_capture_on_commit_callbacks):
    stuck = _running(resident_member.organization, started_minutes_ago=40, scope="resident",
                     resident=resident_member.resident, requested_by=resident_member)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        export, queued = services.resident_export_request(actor=resident_member)
    assert (export.pk, queued) == (stuck.pk, True)
    assert DataExport.objects.get().status == DataExport.Status.DONE
