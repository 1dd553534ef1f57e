"""Sign-in and password reset limits that a forged header, many accounts or many workers cannot get around."""

import pytest
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.checks import run_checks
from django.test import RequestFactory, TestCase, override_settings
from rest_framework.test import APIClient
from rest_framework.throttling import BaseThrottle

from accounts.models import AuditEntry
from accounts.throttling import client_address
from tests.factories import PASSWORD, UserFactory
from tests.forms import FormClient

PROXY = "10.0.0.2"  # the reverse proxy's own address, as the app server sees the connection
CLIENT = "203.0.113.7"
NEIGHBOUR = "203.0.113.8"
TOKEN_URL = "/api/v1/auth/token/"
LOGIN_URL = "/accounts/login/"
RESET_URL = "/accounts/password_reset/"


def _request(forwarded=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def _forged(i):
    """A different made-up address each time, as a client spraying X-Forwarded-For sends."""
    return f"198.18.{i // 250}.{i % 250 + 1}"


def _token_login(email, attempt="wrong", **extra):
    return APIClient().post(TOKEN_URL, {"email": email, "password": attempt}, format="json", **extra)


def _token_rate():
    return int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"].split("/")[0])


def _login_page(client=None):
    """The login form, loaded once and sent as often as the test likes (``send({"username": ..., ...})``)."""
    return (client or FormClient(REMOTE_ADDR=PROXY)).load_form(LOGIN_URL)


# The client's address


def test_without_trusted_proxies_x_forwarded_for_is_ignored():
    assert client_address(_request(forwarded=CLIENT)) == PROXY


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_appended_is_the_clients():
    assert client_address(_request(forwarded=f"192.0.2.66, {CLIENT}")) == CLIENT


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_second_address_from_the_right_is_the_clients():
    assert client_address(_request(forwarded=f"192.0.2.66, {CLIENT}, 10.0.0.9")) == CLIENT


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_a_forwarded_header_shorter_than_the_proxies_falls_back_to_the_connection():
    assert client_address(_request(forwarded=CLIENT)) == PROXY


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_forwarded_entry_that_is_not_an_address_falls_back_to_the_connection():
    assert client_address(_request(forwarded="192.0.2.66, not-an-address")) == PROXY


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_django_axes_reads_the_address_from_the_trusted_proxy_function():
    assert get_client_ip_address(_request(forwarded=f"192.0.2.66, {CLIENT}")) == CLIENT


def test_drf_reads_the_same_address_as_the_trusted_proxy_function():
    with override_settings(TRUSTED_PROXY_COUNT=1, REST_FRAMEWORK={**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}):
        request = _request(forwarded=f"192.0.2.66, {CLIENT}")
        assert BaseThrottle().get_ident(request) == client_address(request) == CLIENT


# Token login (POST /api/v1/auth/token/)


@pytest.mark.django_db
def test_a_fresh_forwarded_address_per_request_does_not_escape_the_token_login_limit():
    statuses = [
        _token_login(f"u{i}@example.org", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=_forged(i)).status_code
        for i in range(_token_rate() + 1)
    ]
    assert statuses[-1] == 429


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_a_forged_left_most_address_does_not_escape_the_token_login_limit():
    statuses = [
        _token_login(f"u{i}@example.org", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{_forged(i)}, {CLIENT}").status_code
        for i in range(_token_rate() + 1)
    ]
    assert statuses[-1] == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_each_client_keeps_its_own_token_login_limit(operator):
    for i in range(_token_rate() + 1):
        _token_login(f"u{i}@example.org", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)
    response = _token_login(operator.user.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=NEIGHBOUR)
    assert response.status_code == 200


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_account_lockout_counts_the_clients_address(operator):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _token_login(operator.user.email, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{_forged(i)}, {CLIENT}")
    locked = _token_login(operator.user.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)
    elsewhere = _token_login(operator.user.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=NEIGHBOUR)
    assert (locked.status_code, elsewhere.status_code) == (429, 200)


@override_settings(LOGIN_FAILURES_PER_ADDRESS="5/15m")
def test_failed_token_logins_across_many_accounts_pause_the_address(operator):
    for i in range(5):
        _token_login(f"u{i}@example.org", REMOTE_ADDR=CLIENT)
    response = _token_login(operator.user.email, PASSWORD, REMOTE_ADDR=CLIENT)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


# Login page


def test_spraying_forty_accounts_from_one_address_on_the_login_page_is_blocked(db):
    send = _login_page()
    statuses = [send({"username": f"u{i}@example.org", "password": "Winter2026!"}).status_code for i in range(40)]
    limit = int(settings.LOGIN_FAILURES_PER_ADDRESS.split("/")[0])
    assert statuses[:limit] == [200] * limit
    assert set(statuses[limit:]) == {429}


@override_settings(LOGIN_FAILURES_PER_ADDRESS="3/15m")
def test_a_paused_address_is_told_why_even_with_a_right_password(operator):
    send = _login_page()
    for i in range(3):
        send({"username": f"u{i}@example.org", "password": "guess"})
    response = send({"username": operator.user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts from your network" in response.content


@override_settings(LOGIN_FAILURES_PER_ADDRESS="3/15m")
def test_an_address_under_its_limit_still_signs_in(operator):
    send = _login_page()
    for i in range(2):
        send({"username": f"u{i}@example.org", "password": "guess"})
    assert send({"username": operator.user.email, "password": PASSWORD}).status_code == 302


@override_settings(LOGIN_FAILURES_PER_ADDRESS="3/15m")
def test_a_fresh_forwarded_address_per_attempt_does_not_escape_the_login_page_limit(db):
    client = FormClient(REMOTE_ADDR=PROXY)
    send = _login_page(client)
    statuses = []
    for i in range(4):
        client.defaults["HTTP_X_FORWARDED_FOR"] = _forged(i)
        statuses.append(send({"username": f"u{i}@example.org", "password": "guess"}).status_code)
    assert statuses == [200, 200, 200, 429]


@override_settings(LOGIN_FAILURES_PER_ADDRESS="3/15m", TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_a_forged_left_most_address_does_not_escape_the_login_page_limit(db):
    client = FormClient(REMOTE_ADDR=PROXY)
    send = _login_page(client)
    statuses = []
    for i in range(4):
        client.defaults["HTTP_X_FORWARDED_FOR"] = f"{_forged(i)}, {CLIENT}"
        statuses.append(send({"username": f"u{i}@example.org", "password": "guess"}).status_code)
    assert statuses == [200, 200, 200, 429]


@override_settings(LOGIN_FAILURES_PER_ADDRESS="3/15m")
def test_failures_on_the_login_page_also_pause_token_logins_from_that_address(operator):
    send = _login_page(FormClient(REMOTE_ADDR=CLIENT))
    for i in range(3):
        send({"username": f"u{i}@example.org", "password": "guess"})
    assert _token_login(operator.user.email, PASSWORD, REMOTE_ADDR=CLIENT).status_code == 429


# Password reset


def _ask_for_reset(email, client=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return (client or FormClient(REMOTE_ADDR=CLIENT)).submit(RESET_URL, {"email": email})


def test_the_reset_page_sends_no_email_while_the_visitor_waits(db):
    user = UserFactory()
    with TestCase.captureOnCommitCallbacks() as queued:
        response = FormClient(REMOTE_ADDR=CLIENT).submit(RESET_URL, {"email": user.email})
    assert response.status_code == 302
    assert mail.outbox == []
    assert len(queued) == 1


def test_password_reset_emails_stop_after_five_for_one_email(db):
    user = UserFactory()
    for _ in range(5):
        _ask_for_reset(user.email)
    assert len(mail.outbox) == 5
    response = _ask_for_reset(user.email)
    assert response.status_code == 302
    assert len(mail.outbox) == 5


def test_the_per_email_limit_counts_the_email_whatever_its_case(db):
    user = UserFactory()
    for _ in range(5):
        _ask_for_reset(user.email.upper())
    _ask_for_reset(user.email)
    assert len(mail.outbox) == 5


def test_a_limited_reset_reads_the_same_as_a_sent_one_so_no_account_is_revealed(db):
    user = UserFactory()
    answers = {}
    for email in (user.email, "nobody@example.org"):
        for _ in range(5):
            _ask_for_reset(email)
        response = _ask_for_reset(email, FormClient(REMOTE_ADDR=CLIENT))
        followed = FormClient().get(response["Location"])
        answers[email] = (response.status_code, response["Location"], followed.content)
    assert answers[user.email] == answers["nobody@example.org"]
    assert b"If that address belongs to an account" in answers[user.email][2]


@override_settings(PASSWORD_RESETS_PER_ADDRESS="3/h")
def test_password_resets_from_one_address_are_limited_whatever_the_email(db):
    user = UserFactory()
    for i in range(3):
        _ask_for_reset(f"u{i}@example.org")
    response = _ask_for_reset(user.email)
    assert response.status_code == 429
    assert b"Too many password reset e-mails" in response.content
    assert mail.outbox == []


@override_settings(PASSWORD_RESETS_PER_ADDRESS="3/h")
def test_a_fresh_forwarded_address_per_request_does_not_escape_the_password_reset_limit(db):
    statuses = [
        _ask_for_reset(f"u{i}@example.org", FormClient(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=_forged(i))).status_code
        for i in range(4)
    ]
    assert statuses == [302, 302, 302, 429]


# Where the counters live


@override_settings(LOGIN_FAILURES_PER_ADDRESS="3/15m")
def test_the_counters_live_in_the_default_cache(operator):
    send = _login_page()
    for i in range(3):
        send({"username": f"u{i}@example.org", "password": "guess"})
    cache.clear()
    assert send({"username": operator.user.email, "password": PASSWORD}).status_code == 302


def _cache_errors():
    checks = run_checks(tags=["caches"], include_deployment_checks=True)
    return [message.id for message in checks if message.id == "accounts.E001"]


@override_settings(DEBUG=False, CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_check_deploy_refuses_a_cache_kept_inside_each_process():
    assert _cache_errors() == ["accounts.E001"]


@override_settings(
    DEBUG=False,
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://h:6379/1"}},
)
def test_check_deploy_accepts_a_shared_redis_cache():
    assert _cache_errors() == []


# The audit log


def test_audit_entries_ignore_x_forwarded_for_without_trusted_proxies(api, manager):
    api(manager).get("/api/v1/drug-tests/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)
    assert AuditEntry.objects.get().ip_address == PROXY


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_audit_entries_record_the_address_the_trusted_proxy_vouches_for(api, manager):
    api(manager).get("/api/v1/drug-tests/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.66, {CLIENT}")
    assert AuditEntry.objects.get().ip_address == CLIENT


# The Django admin's login and one account guessed from many addresses


@override_settings(LOGIN_FAILURES_PER_ADDRESS="5/15m")
def test_spraying_accounts_through_the_admin_login_is_blocked_too(db):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = FormClient(REMOTE_ADDR=PROXY)
    for i in range(5):
        client.submit("/admin/login/", {"username": f"u{i}@example.org", "password": "guess"})
    response = client.submit("/admin/login/", {"username": admin.email, "password": PASSWORD})
    assert response.status_code == 200  # the form again, not signed in
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_FAILURES_PER_ACCOUNT="4/h")
def test_one_account_guessed_from_many_addresses_is_paused(operator):
    for i in range(4):
        _login_page(FormClient(REMOTE_ADDR=_forged(i)))({"username": operator.user.email, "password": "guess"})
    response = _login_page(FormClient(REMOTE_ADDR=_forged(99)))({"username": operator.user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts for this e-mail" in response.content


@override_settings(LOGIN_FAILURES_PER_ACCOUNT="4/h")
def test_one_account_guessed_from_many_addresses_gets_no_token_either(operator):
    for i in range(4):
        _token_login(operator.user.email, REMOTE_ADDR=_forged(i))
    response = _token_login(operator.user.email, attempt=PASSWORD, REMOTE_ADDR=_forged(99))
    assert response.status_code == 400
    assert "token" not in response.json()


@override_settings(LOGIN_FAILURES_PER_ACCOUNT="4/h")
def test_an_email_without_an_account_is_paused_the_same_way(db):
    for i in range(4):
        _login_page(FormClient(REMOTE_ADDR=_forged(i)))({"username": "nobody@example.org", "password": "guess"})
    response = _login_page(FormClient(REMOTE_ADDR=_forged(99)))({"username": "nobody@example.org", "password": "x"})
    assert response.status_code == 429
