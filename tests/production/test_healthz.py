"""/healthz: database, cache, broker and storage answered, without a login; a failing part is a 503 naming it."""

import threading
import time

import pytest

from config import health

pytestmark = pytest.mark.django_db

# A public route: every role, and nobody signed in, gets the same answer (tests/access.py lists this module).
PAGES = ["/healthz"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _fresh_answer():
    health.forget()
    yield
    health.forget()


@pytest.fixture
def hanging():
    """A check that hangs until the test ends, counting how often it was started."""
    release, started = threading.Event(), []

    def check():
        started.append(1)
        release.wait(10)
        return "ok"

    yield check, started
    release.set()


def _failing(error):
    def check():
        raise error

    return check


def test_all_parts_answering_is_200_without_a_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "broker": True,
        "storage": True,
    }


def test_without_a_broker_the_broker_is_reported_in_process(client):
    assert client.get("/healthz").json()["checks"]["broker"]["detail"] == "in-process"


@pytest.mark.parametrize("part", ["database", "cache", "broker", "storage"])
def test_a_failing_part_is_a_503_naming_it(client, monkeypatch, part):
    monkeypatch.setitem(health.CHECKS, part, _failing(ConnectionError("redis://:hunter2@cache:6379/1 refused")))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == [part]
    assert body["checks"][part] == {"ok": False, "detail": "failed (ConnectionError)"}


def test_a_failure_never_shows_the_error_message_which_may_hold_a_password(client, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "cache", _failing(ConnectionError("redis://:hunter2@cache:6379/1 refused")))
    assert b"hunter2" not in client.get("/healthz").content


def test_a_hanging_part_is_a_503_within_about_two_seconds(client, monkeypatch, hanging):
    monkeypatch.setattr(health, "TIMEOUT", 0.2)
    monkeypatch.setitem(health.CHECKS, "broker", hanging[0])
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 1.5
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == {"ok": False, "detail": "no answer within 0.2s"}


def test_a_second_probe_within_three_seconds_is_given_the_same_answer_unchecked(client, monkeypatch):
    calls = []
    monkeypatch.setitem(health.CHECKS, "storage", lambda: calls.append(1) or "ok")
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert calls == [1]


def test_a_part_still_hung_from_an_earlier_probe_is_not_checked_again(client, monkeypatch, hanging):
    check, started = hanging
    monkeypatch.setattr(health, "TIMEOUT", 0.2)
    monkeypatch.setattr(health, "REMEMBER", 0)
    monkeypatch.setitem(health.CHECKS, "storage", check)
    for _probe in range(3):
        response = client.get("/healthz")
        assert response.json()["checks"]["storage"] == {"ok": False, "detail": "no answer within 0.2s"}
    assert started == [1]


def test_a_flood_of_probes_starts_each_check_once(monkeypatch, hanging):
    check, started = hanging
    monkeypatch.setattr(health, "TIMEOUT", 0.3)
    monkeypatch.setattr(health, "REMEMBER", 0)
    monkeypatch.setitem(health.CHECKS, "storage", check)
    answers = []
    probes = [threading.Thread(target=lambda: answers.append(health.run_checks()["storage"])) for _ in range(20)]
    for probe in probes:
        probe.start()
    for probe in probes:
        probe.join(5)
    assert started == [1]
    assert len(answers) == 20
    assert not any(answer["ok"] for answer in answers)


def test_a_broker_that_refuses_connections_fails_the_broker_check(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens
    with pytest.raises(Exception):  # noqa: B017, PT011 - whatever kombu raises for a refused connection
        health.check_broker()


def test_the_storage_check_leaves_no_file_behind(tmp_path):
    assert health.check_storage() == "ok"
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


def test_the_answer_is_never_cached_nor_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_it_sets_no_session_cookie(client):
    assert "sessionid" not in client.get("/healthz").cookies


def test_it_only_answers_reads(client):
    assert client.post("/healthz").status_code == 405


def test_it_answers_every_role_alike(client, operator, manager, resident_member, outsider):
    for member in (operator, manager, resident_member, outsider):
        client.force_login(member.user)
        assert client.get("/healthz").status_code == 200
