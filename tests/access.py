"""Helpers for the access matrices: one row per endpoint, tried as every role against a world of objects.

The roles every matrix tries (the fixtures of tests/conftest.py are made here too): the operator; a manager who runs
``house`` but not ``other_house``; a resident living in ``house``; an operator of another organization (``outsider``).
"""

import copy
from datetime import date

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from residents.core.services import stays as stay_services

from .factories import HouseFactory, MembershipFactory, OrganizationFactory, ResidentFactory


def make_organization():
    return OrganizationFactory(name="Second Wind", slug="second-wind")


def make_other_organization():
    return OrganizationFactory(name="Elsewhere Homes", slug="elsewhere")


def make_house(organization):
    return HouseFactory(organization=organization, name="Maple House", beds=4)


def make_other_house(organization):
    return HouseFactory(organization=organization, name="Willow House", gender="women", beds=4)


def make_foreign_house(other_organization):
    return HouseFactory(organization=other_organization, name="Aspen House", beds=2)


def make_operator(organization):
    return MembershipFactory(organization=organization, role=Role.OPERATOR, user__full_name="Olivia Operator")


def make_manager(organization, house):
    membership = MembershipFactory(organization=organization, role=Role.MANAGER, user__full_name="Marcus Manager")
    membership.houses.add(house)
    return membership


def make_resident_member(organization, house, operator):
    membership = MembershipFactory(organization=organization, role=Role.RESIDENT)
    resident = ResidentFactory(organization=organization, membership=membership)
    bed = house.beds.order_by("pk").first()
    stay_services.stay_admit(actor=operator, resident=resident, bed=bed, on=date(2026, 1, 5))
    return membership


def make_outsider(other_organization):
    return MembershipFactory(organization=other_organization, role=Role.OPERATOR)


# Each role fixture's maker and what it is made from, in an order that makes everything before it is needed.
ROLE_MAKERS = {
    "organization": (make_organization, []),
    "other_organization": (make_other_organization, []),
    "house": (make_house, ["organization"]),
    "other_house": (make_other_house, ["organization"]),
    "foreign_house": (make_foreign_house, ["other_organization"]),
    "operator": (make_operator, ["organization"]),
    "manager": (make_manager, ["organization", "house"]),
    "resident_member": (make_resident_member, ["organization", "house", "operator"]),
    "outsider": (make_outsider, ["other_organization"]),
}


def make_roles(names) -> dict:
    """The named role fixtures' objects (and what they are made from), made as tests/conftest.py makes them."""
    made = {}
    for name in make_roles_order(names):
        maker, needs = ROLE_MAKERS[name]
        made[name] = maker(*[made[need] for need in needs])
    return made


def world_once_per_module(build, roles, *, start=None):
    """The fixtures of a matrix module whose world is made once for the whole module rather than for each test.

    ``build(**made)`` makes the module's ``world`` from the ``roles`` (names of conftest role fixtures, made first).
    Everything is made inside a transaction rolled back at the module's end; each test runs in a savepoint inside it
    (``db``), so its own writes still roll back, and gets its own copies of the objects, on the clock of the instant
    the world was made (ticking): the rows a test sees are those a fresh world would have had.

    ``start(**made)``, if given, is the instant the world is made at (the clock ticks on from it).

    Returns the fixtures by name: a module installs them with ``globals().update(...)``, replacing the conftest role
    fixtures and its own ``world`` for its tests."""

    @pytest.fixture(scope="module")
    def matrix_world(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            made = make_roles(roles)
            with time_machine.travel(start(**made) if start else timezone.now(), tick=True):
                made["world"] = build(**made)
                instant = timezone.now()
            yield made, instant
            transaction.set_rollback(True)

    @pytest.fixture
    def matrix_copy(matrix_world, db):
        made, instant = matrix_world
        with time_machine.travel(instant, tick=True):
            yield copy.deepcopy(made)

    def shared(name):
        @pytest.fixture(name=name)
        def fixture(matrix_copy):
            return matrix_copy[name]

        return fixture

    fixtures = {"matrix_world": matrix_world, "matrix_copy": matrix_copy}
    for name in [*make_roles_order(roles), "world"]:
        fixtures[f"_{name}_fixture"] = shared(name)
    return fixtures


def make_roles_order(roles) -> list[str]:
    """The role names ``roles`` needs, with what they are made from."""
    found = []

    def visit(name):
        for need in ROLE_MAKERS[name][1]:
            visit(need)
        if name not in found:
            found.append(name)

    for name in roles:
        visit(name)
    return found


def fill(value, world: dict):
    """Replaces each ``"{name}"`` (a whole string, also inside lists and dicts) by ``world[name]``: its pk for a
    model instance, else the value itself."""
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        found = world[value[1:-1]]
        return getattr(found, "pk", found)
    if isinstance(value, list):
        return [fill(item, world) for item in value]
    if isinstance(value, dict):
        return {key: fill(item, world) for key, item in value.items()}
    return value


def request_as(client, method: str, path: str, body, world: dict):
    """Sends one matrix row through an API client, the path's and body's placeholders filled from ``world``."""
    url = path.format(**{name: getattr(found, "pk", found) for name, found in world.items()})
    return getattr(client, method)(url, fill(body, world), format="json")


# The access matrices, each a module whose ``MATRIX`` (and ``WRITES``, ``PAGES``) rows name the path they try as
# every role. ``tests/architecture/test_access_matrix_coverage.py`` fails when a route has no row in any of them.
MATRIX_MODULES = [
    "tests.api.test_access_api",
    "tests.houses.test_access_matrix",
    "tests.houses.test_outage_history",
    "tests.billing.test_access_matrix",
    "tests.billing.online.test_online_api",
    "tests.billing.online.test_access_online",
    "tests.compliance.test_access_compliance",
    "tests.residents.test_access_residents",
    "tests.residents.test_chores_access",
    "tests.residents.test_drug_tests_access_matrix",
    "tests.residents.test_grievances_api",
    "tests.residents.test_incidents_access_matrix",
    "tests.residents.test_meetings_access",
    "tests.peer.test_access_peer_api",  # peer-run houses: every role and each office
    "tests.peer.test_access_peer_pages",  # the peer-run houses' pages: every role and each office
    "tests.residents.test_phases_access_matrix",
    "tests.residents.test_rules_access_matrix",
    "tests.pages.test_access_pages",
    "tests.pages.test_access_more_pages",
    "tests.pages.test_house_life_access",
    "tests.pages.test_portal_access",
    "tests.portal.test_language_page",  # the portal's language page: the resident only
    "tests.retention.test_retention_access",
    "tests.spreadsheets.test_access_imports",  # the import pages: operators of the organization only
    "tests.production.test_healthz",  # /healthz: public, every role alike
    "tests.exports.test_access_exports",  # exports: the organization's operators; a resident's record, theirs
    "tests.vacancies.listing.test_access_listing",  # the listing editor: the organization's operators only
    "tests.vacancies.feed.test_access_feed",  # the open vacancy feed and the embed: public, every role alike
    "tests.vacancies.public.test_access_public",  # public vacancy pages, the application form, the applicant's link
    "tests.vacancies.partners.test_access_partners",  # referral partners: staff pages, private links, referrers
    "tests.vacancies.openings.test_access_openings",  # bed openings: the staff's page, offer links, planned move-outs
    "tests.i18n.test_access_language",  # the language switch (anyone) and "Your language" (anyone signed in)
]
ROW_LISTS = ("MATRIX", "WRITES", "PAGES")


def matrix_paths():
    """Every ``(module, path template)`` the access matrices try: a row's path is its first string starting with
    ``/`` (API rows are ``(method, path, body, expected)``, page rows ``(path, expected)``, a page list holds paths)."""
    from importlib import import_module

    for name in MATRIX_MODULES:
        module = import_module(name)
        for list_name in ROW_LISTS:
            for row in getattr(module, list_name, ()):
                cells = row if isinstance(row, tuple | list) else (row,)
                path = next(cell for cell in cells if isinstance(cell, str) and cell.startswith("/"))
                yield name, path
