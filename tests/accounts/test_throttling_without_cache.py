"""The sign-in and password reset limits while the cache (Redis) is unreachable: failed sign-ins are counted in the
database (django-axes' log of failures) instead of failing open, and no password reset e-mail goes out."""

import logging
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessFailureLog
from django.core import mail
from django.test import TestCase, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import throttling
from tests.factories import PASSWORD, UserFactory
from tests.forms import FormClient

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens there
CLIENT = "203.0.113.7"


@pytest.fixture(autouse=True)
def cache_down(settings, monkeypatch):
    settings.CACHES = {
        "default": {
            "BACKEND": "accounts.cache.FailOpenRedisCache",
            "LOCATION": CLOSED_PORT,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    monkeypatch.setattr(throttling, "_alarmed_at", -throttling.ALARM_EVERY)


def _forged(i):
    return f"198.18.0.{i + 1}"


def _login(email, attempt="guess", address=CLIENT):
    return FormClient(REMOTE_ADDR=address).load_form("/accounts/login/")({"username": email, "password": attempt})


def _token_login(email, attempt="guess", address=CLIENT):
    return APIClient().post(
        "/api/v1/auth/token/", {"email": email, "password": attempt}, format="json", REMOTE_ADDR=address
    )


@override_settings(LOGIN_FAILURES_PER_ACCOUNT="4/h")
def test_one_account_guessed_from_many_addresses_is_paused_while_the_cache_is_down(operator):
    for i in range(4):
        _login(operator.user.email, address=_forged(i))
    response = _login(operator.user.email, PASSWORD, address=_forged(99))
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts for this e-mail" in response.content


@override_settings(LOGIN_FAILURES_PER_ACCOUNT="4/h")
def test_the_token_login_is_refused_too_past_the_account_limit_while_the_cache_is_down(operator):
    for i in range(4):
        _token_login(operator.user.email, address=_forged(i))
    response = _token_login(operator.user.email, PASSWORD, address=_forged(99))
    assert response.status_code == 400
    assert "token" not in response.json()


@override_settings(LOGIN_FAILURES_PER_ACCOUNT="4/h")
def test_an_account_under_its_limit_still_signs_in_while_the_cache_is_down(operator):
    for i in range(3):
        _login(operator.user.email, address=_forged(i))
    assert _login(operator.user.email, PASSWORD, address=_forged(99)).status_code == 302


@override_settings(LOGIN_FAILURES_PER_ACCOUNT="4/h")
def test_failures_older_than_the_window_are_not_counted(operator):
    with time_machine.travel(timezone.now() - timedelta(hours=2), tick=True):
        for i in range(4):
            _login(operator.user.email, address=_forged(i))
    assert AccessFailureLog.objects.filter(username=operator.user.email).count() == 4
    assert _login(operator.user.email, PASSWORD, address=_forged(99)).status_code == 302


@override_settings(LOGIN_FAILURES_PER_ADDRESS="3/15m")
def test_spraying_accounts_from_one_address_is_paused_while_the_cache_is_down(operator):
    for i in range(3):
        _login(f"u{i}@example.org")
    response = _login(operator.user.email, PASSWORD)
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts from your network" in response.content


def test_no_password_reset_email_is_sent_while_the_cache_is_down_and_the_page_reads_the_same(db):
    user = UserFactory()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = FormClient(REMOTE_ADDR=CLIENT).submit("/accounts/password_reset/", {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


def test_the_fallback_is_logged_once_not_on_every_sign_in(operator, caplog):
    with caplog.at_level(logging.ERROR, logger="accounts.throttling"):
        for i in range(3):
            _login(operator.user.email, address=_forged(i))
    alarms = [record.getMessage() for record in caplog.records if record.name == "accounts.throttling"]
    assert alarms == ["rate limits: cache unreachable, using the database"]
