import io
import os
import sqlite3
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from . import access
from .clock import local_moment
from .factories import BedFactory, ResidentFactory
from .forms import FormClient


def _test_now() -> datetime | None:
    """``HEARTH_TEST_NOW`` (an ISO 8601 instant with its offset, e.g. ``2026-03-07T23:45:00-06:00``) runs the whole
    session from that instant: a suite that passes on any day must pass on the awkward ones (late Saturday, month
    end, a daylight-saving night, February 29)."""
    value = os.environ.get("HEARTH_TEST_NOW", "").strip()
    if not value:
        return None
    instant = datetime.fromisoformat(value)
    if instant.tzinfo is None:
        raise pytest.UsageError(f"HEARTH_TEST_NOW needs a UTC offset, e.g. 2026-03-07T23:45:00-06:00 (got {value!r})")
    return instant


def pytest_configure(config):
    # Started here, not in a fixture, so module- and session-scoped fixtures (the demo seed) see the same clock;
    # every xdist worker runs this too. tick=True keeps time moving; tests that freeze time nest inside it.
    instant = _test_now()
    if instant is not None:
        config._hearth_traveller = time_machine.travel(instant, tick=True)
        config._hearth_traveller.start()


def pytest_unconfigure(config):
    traveller = getattr(config, "_hearth_traveller", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    instant = _test_now()
    if instant is None:
        return "clock: real time (set HEARTH_TEST_NOW=2026-03-07T23:45:00-06:00 to run at a fixed instant)"
    return f"clock: HEARTH_TEST_NOW={instant.isoformat()} (UTC {instant.astimezone(UTC).isoformat()}), ticking"


def _redis_broker_reachable() -> bool:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        return False
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


def pytest_collection_modifyitems(config, items):
    on_postgres = connection.vendor == "postgresql"
    redis_ok = _redis_broker_reachable()
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://..."))
        if "redis" in item.keywords and not redis_ok:
            item.add_marker(pytest.mark.skip(reason="needs Redis: set CELERY_BROKER_URL=redis://127.0.0.1:6379/0"))


@pytest.fixture
def midweek():
    """The clock at 10 a.m. on Wednesday, March 11, 2026, in the test organizations' time zone (America/Chicago),
    ticking: mid-week and mid-month, for tests whose "so far" a Sunday or a month's last day would make "missed".
    Ask for it first (``@pytest.mark.usefixtures("midweek")``) so the test's data is made on that day too."""
    with time_machine.travel(local_moment(2026, 3, 11), tick=True):
        yield


@pytest.fixture(autouse=True)
def _celery_may_wait_on_results():
    # An eager task run in another thread (a concurrency test's) can leave Celery's process-wide "never .get() in a
    # task" guard set, failing a later test's .get() in the same worker.
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def _english_between_tests():
    # Django leaves a request's language active in the thread: a Spanish request must not leak into the next test.
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organization(db):
    return access.make_organization()


@pytest.fixture
def other_organization(db):
    return access.make_other_organization()


@pytest.fixture
def house(organization):
    return access.make_house(organization)


@pytest.fixture
def other_house(organization):
    """A house of the same organization that the manager does not run."""
    return access.make_other_house(organization)


@pytest.fixture
def foreign_house(other_organization):
    return access.make_foreign_house(other_organization)


@pytest.fixture
def operator(organization):
    return access.make_operator(organization)


@pytest.fixture
def manager(organization, house):
    return access.make_manager(organization, house)


@pytest.fixture
def resident_member(organization, house, operator):
    """A resident with a portal login, living in ``house``."""
    return access.make_resident_member(organization, house, operator)


@pytest.fixture
def outsider(other_organization):
    return access.make_outsider(other_organization)


@pytest.fixture
def free_bed(house):
    return BedFactory(room=house.rooms.first())


@pytest.fixture
def resident_factory(organization):
    def make(**kwargs):
        kwargs.setdefault("organization", organization)
        return ResidentFactory(**kwargs)

    return make


def api_client_for(membership) -> APIClient:
    client = APIClient()
    client.force_authenticate(membership.user)
    client.credentials(HTTP_X_ORGANIZATION=membership.organization.slug)
    return client


@pytest.fixture
def page():
    """``page(membership)``: a browser-like client signed in as that member; ``.submit()`` sends a page's form as
    a browser would (tests/forms.py)."""

    def make(membership):
        client = FormClient()
        client.force_login(membership.user)
        return client

    return make


@pytest.fixture
def api():
    """``api(membership)``: an API client acting as that member, within their organization."""
    return api_client_for


@pytest.fixture(scope="session")
def served_schema(django_db_setup, django_db_blocker) -> dict:
    """The OpenAPI schema ``/api/schema/`` serves, fetched once per test process: generating it takes seconds, and
    nothing a test writes changes it. Read it, never change it."""
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


# One seeded database image per test process, restored for each module that asks for the demo (see demo_seeded).
_DEMO_IMAGES: dict = {}


def _clock_pinned() -> bool:
    """Whether a module has set its own clock on top of the session's: its demo must be seeded on that clock."""
    stack = getattr(time_machine, "traveller_stack", None)
    if stack is None:
        return True  # cannot tell: seed afresh
    return len(stack) > (1 if _test_now() is not None else 0)


def _seed_demo_rolled_back():
    with transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield timezone.now()
        transaction.set_rollback(True)


def _seed_demo_committed() -> None:
    with transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        # As with a rolled-back seed, nothing queued for after the commit runs (report PDFs, e-mails).
        connection.run_on_commit = []


def _seed_demo_from_sqlite_image():
    """The demo is seeded once per process and its database image copied back in for each module, then the empty
    image copied back at the module's end. Seeding takes many seconds; copying the image a few ms."""
    connection.ensure_connection()
    raw = connection.connection
    if not _DEMO_IMAGES:
        empty = sqlite3.connect(":memory:")
        raw.backup(empty)
        _seed_demo_committed()
        seeded = sqlite3.connect(":memory:")
        raw.backup(seeded)
        _DEMO_IMAGES.update(empty=empty, seeded=seeded, instant=timezone.now())
    else:
        _DEMO_IMAGES["seeded"].backup(raw)
    try:
        yield _DEMO_IMAGES["instant"]
    finally:
        _DEMO_IMAGES["empty"].backup(raw)


def _pg_copy_database(source: str, target: str) -> None:
    """Replace ``target`` by a copy of ``source`` (PostgreSQL copies a database from a template in well under a
    second). Nothing may be connected to either, so this process's connection is closed first."""
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def _seed_demo_from_postgres_template():
    """As on SQLite: seeded once per process into the test database, kept as a template database beside an empty
    one, and each module's test database recreated from the one, then from the other at the module's end."""
    name = connection.settings_dict["NAME"]
    if not _DEMO_IMAGES:
        empty, seeded = f"{name}_empty", f"{name}_demo"
        _pg_copy_database(name, empty)
        _seed_demo_committed()
        _pg_copy_database(name, seeded)
        _DEMO_IMAGES.update(empty=empty, seeded=seeded, instant=timezone.now())
    else:
        _pg_copy_database(_DEMO_IMAGES["seeded"], name)
    try:
        yield _DEMO_IMAGES["instant"]
    finally:
        _pg_copy_database(_DEMO_IMAGES["empty"], name)


@pytest.fixture(scope="session")
def _demo_images(django_db_setup, django_db_blocker):
    yield _DEMO_IMAGES
    if connection.vendor == "postgresql" and _DEMO_IMAGES:
        with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
            for image in (_DEMO_IMAGES["empty"], _DEMO_IMAGES["seeded"]):
                cursor.execute(f'DROP DATABASE IF EXISTS "{image}" WITH (FORCE)')


@pytest.fixture(scope="module")
def demo_seeded(_demo_images, django_db_blocker):
    """``seed_demo`` for the test module, gone at the module's end: each test still sees it fresh (its own changes
    roll back with ``db``). The demo stays until the module ends, so only modules whose every test uses it should ask
    for it. Gives the instant it was seeded at (see ``demo_db``). Modules on the session's clock share one seed per
    process (restored from a database image); a module on its own clock seeds inside a transaction rolled back at
    the module's end."""
    with django_db_blocker.unblock():
        if _clock_pinned():
            yield from _seed_demo_rolled_back()
        elif connection.vendor == "sqlite":
            yield from _seed_demo_from_sqlite_image()
        else:
            yield from _seed_demo_from_postgres_template()


@pytest.fixture
def demo_db(demo_seeded, db):
    """The database with the demo in it (see ``demo_seeded``). Each test starts from the instant the demo was seeded
    at (the clock ticks on): a module that runs across midnight still sees the demo's "today"."""
    with time_machine.travel(demo_seeded, tick=True):
        yield
