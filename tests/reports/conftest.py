"""A world made once per module, for report tests that read the same built month or the same rendered PDF: building
the month and rendering its report take seconds, and many tests of a module only read them.

``module_world`` is the pattern of ``world_once_per_module`` (tests/access.py), for modules where some tests want
the world and others do not. The world is made inside a transaction (rolled back at the module's end) and each test
that asks for it runs in a savepoint inside it (``db``): its own writes roll back and it gets its own copies of the
objects, on the clock of the instant the world was made. A test of the module that does not ask for it runs without
it: the world is rolled back first, and made again for the next test that asks (the tests asking for it run
together, after the module's others: see ``pytest_collection_modifyitems``)."""

import copy
import inspect
import shutil
from contextlib import ExitStack

import pytest
import time_machine
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from tests import access

# A test asks for the world when it asks, through any fixture, for this one.
COPY = "_world_copy"


def module_world(roles, makers, *, asked_by, at=None, tick=True):
    """The fixtures of a module whose world is made once rather than for each test that reads it.

    ``roles`` are names of the role fixtures of tests/conftest.py (made first, as there); ``makers`` maps more
    fixture names to plain functions whose parameters name roles or earlier makers, made in that order (a PDF
    rendered from the world is a maker too). A test runs in the world when it asks for one of the makers named in
    ``asked_by``; every role and maker is then the world's copy. Any other test makes the roles and makers it asks
    for itself, as the ordinary fixtures would.

    ``at`` is the instant the world is made at (default: now), ticking from it unless ``tick`` is false (a module
    whose tests freeze time). Files the world stores (a report's PDF) are copied into each test's ``tmp_path``, made
    its ``MEDIA_ROOT``.

    Returns the fixtures by name: a module installs them with ``globals().update(...)``, in place of its own
    fixtures of those names."""
    assert set(asked_by) <= set(makers), "a test asks for the world through one of its makers"

    def build(media):
        with time_machine.travel(at or timezone.now(), tick=tick), override_settings(MEDIA_ROOT=media):
            made = access.make_roles(roles)
            for name, maker in makers.items():
                made[name] = maker(**{need: made[need] for need in _needs(maker)})
            return made, timezone.now()

    @pytest.fixture(scope="module")
    def _world(django_db_setup, django_db_blocker, tmp_path_factory):
        world = _World(build, django_db_blocker, tmp_path_factory)
        yield world
        world.close()

    @pytest.fixture(autouse=True)
    def _world_in_use(request, _world):
        # Before ``db`` (autouse fixtures are set up first): the test's savepoint goes inside the world, or none is.
        if COPY in request.fixturenames:
            _world.open()
        else:
            _world.close()

    @pytest.fixture
    def _world_copy(_world, db, request):
        if any(_world.media.iterdir()):
            media = request.getfixturevalue("tmp_path")
            shutil.copytree(_world.media, media, dirs_exist_ok=True)
            request.getfixturevalue("settings").MEDIA_ROOT = media
        with time_machine.travel(_world.instant, tick=tick):
            yield copy.deepcopy(_world.made)

    fixtures = {"_world": _world, "_world_in_use": _world_in_use, "_world_copy": _world_copy}
    for name in access.make_roles_order(roles):
        maker, needs = access.ROLE_MAKERS[name]
        fixtures[f"_{name}_fixture"] = _world_or_made(name, maker, needs)
    for name, maker in makers.items():
        if name in asked_by:
            fixtures[f"_{name}_fixture"] = _from_world(name)
        else:
            fixtures[f"_{name}_fixture"] = _world_or_made(name, maker, _needs(maker))
    return fixtures


class _World:
    """The module's world: made by ``open`` in a transaction left open while the tests asking for it run, rolled
    back by ``close``."""

    def __init__(self, build, django_db_blocker, tmp_path_factory):
        self._build = build
        self._blocker = django_db_blocker
        self._tmp_path_factory = tmp_path_factory
        self._open = None
        self.made = self.instant = self.media = None

    def open(self):
        if self._open is not None:
            return
        assert not connection.in_atomic_block, "the world is made before the test's own transaction"
        media = self._tmp_path_factory.mktemp("world-media")
        opened = ExitStack()
        opened.enter_context(self._blocker.unblock())
        opened.enter_context(transaction.atomic())
        try:
            self.made, self.instant = self._build(media)
        except BaseException:
            transaction.set_rollback(True)
            opened.close()
            raise
        self.media, self._open = media, opened

    def close(self):
        if self._open is None:
            return
        assert not connection.savepoint_ids, "the world is rolled back once the test's own transaction is"
        transaction.set_rollback(True)
        self._open.close()
        self._open = None
        self.made = self.instant = self.media = None


def _needs(maker) -> list[str]:
    return list(inspect.signature(maker).parameters)


def _world_or_made(name, maker, needs):
    @pytest.fixture(name=name)
    def fixture(request):
        if COPY in request.fixturenames:
            return request.getfixturevalue(COPY)[name]
        request.getfixturevalue("db")
        return maker(*[request.getfixturevalue(need) for need in needs])

    return fixture


def _from_world(name):
    @pytest.fixture(name=name)
    def fixture(_world_copy):
        return _world_copy[name]

    return fixture


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """In a module with a world, the tests asking for it run together after the others: the world is made once."""

    def in_world(item) -> bool:
        return COPY in getattr(item, "fixturenames", ())

    if not any(in_world(item) for item in items):
        return
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        first.setdefault(item.nodeid.split("::")[0], index)
    items.sort(key=lambda item: (first[item.nodeid.split("::")[0]], in_world(item)))
