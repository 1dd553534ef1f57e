"""Tasks kept while the broker was down are sent again by one resender at a time (a PostgreSQL advisory lock), so two
runs (a worker starting while beat's runs) never interleave and the oldest goes first."""

import pytest
from django.db import connection

from accounts.models import DeferredTask
from accounts.queue import RESEND_LOCK, deferred_tasks_resend

from .conftest import broker_at, redis_url

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture
def another_resender():
    """A second database session holding the resend lock, as a run under way elsewhere does."""
    other = connection.get_new_connection(connection.get_connection_params())
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [RESEND_LOCK])
        assert cursor.fetchone()[0]
    yield
    other.close()


@pytest.mark.usefixtures("another_resender")
def test_a_second_resender_sends_nothing_while_one_runs(db, private_queue):
    DeferredTask.objects.create(name="accounts.tasks.send_invitation", args=[1, "https://hearth.example"], kwargs={})
    with broker_at(redis_url(), queue=private_queue):
        assert deferred_tasks_resend() == 0
    assert DeferredTask.objects.count() == 1


def test_the_resend_lock_is_released_after_a_run(db, private_queue):
    with broker_at(redis_url(), queue=private_queue):
        deferred_tasks_resend()
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [RESEND_LOCK])
            assert cursor.fetchone()[0]
    finally:
        other.close()
