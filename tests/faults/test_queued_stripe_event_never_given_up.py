"""A Stripe event the webhook answered 200 for and queued lives only in ``receive_stripe_event`` until the database
records it: the task never gives up, backs off to one try every ten minutes, and raises an alarm (ERROR) on every
try once the database has been gone for an hour."""

import logging
import time

import pytest
from celery.exceptions import Retry
from django.db import OperationalError

from billing.services import stripe_events
from billing.services.stripe_events import RECEIVE_RETRY_MAX, receive_stripe_event

EVENT = {"id": "evt_queued_1", "type": "checkout.session.completed"}


@pytest.fixture
def database_gone(monkeypatch):
    def refuse(*, event):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(stripe_events, "stripe_event_receive", refuse)


@pytest.fixture
def retries(monkeypatch):
    asked = []

    def retry(*, args, kwargs, countdown, exc):
        asked.append({"args": args, "kwargs": kwargs, "countdown": countdown})
        return Retry(exc=exc, when=countdown)

    monkeypatch.setattr(receive_stripe_event, "retry", retry)
    return asked


def attempt(**options) -> None:
    with pytest.raises(Retry):  # tasks run in-process here, and propagate what they raise
        receive_stripe_event.apply(args=(EVENT,), **options)


def test_the_queued_event_task_has_no_retry_limit():
    assert receive_stripe_event.max_retries is None


@pytest.mark.usefixtures("database_gone")
def test_the_retries_back_off_to_at_most_ten_minutes(retries):
    attempt(retries=0)
    attempt(retries=500)
    assert retries[0]["countdown"] == 5
    assert retries[1]["countdown"] == RECEIVE_RETRY_MAX == 600


@pytest.mark.usefixtures("database_gone")
def test_each_retry_carries_the_time_of_the_first_failure(retries):
    attempt(kwargs={"first_failed_at": 1000.0}, retries=3)
    assert retries[0]["args"] == (EVENT,)
    assert retries[0]["kwargs"] == {"first_failed_at": 1000.0}


@pytest.mark.usefixtures("database_gone")
def test_a_retry_in_the_first_hour_raises_no_alarm(retries, caplog):
    with caplog.at_level(logging.WARNING, logger="billing.stripe"):
        attempt(kwargs={"first_failed_at": time.time() - 3500}, retries=8)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.usefixtures("database_gone")
def test_every_retry_after_the_first_hour_is_logged_at_error(retries, caplog):
    with caplog.at_level(logging.WARNING, logger="billing.stripe"):
        attempt(kwargs={"first_failed_at": time.time() - 3700}, retries=9)
    [alarm] = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert "evt_queued_1" in alarm.getMessage()
    assert "still not recorded after 61 minutes" in alarm.getMessage()
