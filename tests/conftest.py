import io
import os
from datetime import date

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from rest_framework.test import APIClient

from accounts.models import Role
from residents.services import stays as stay_services

from .factories import BedFactory, HouseFactory, MembershipFactory, OrganizationFactory, ResidentFactory
from .forms import FormClient


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


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Second Wind", slug="second-wind")


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="Elsewhere Homes", slug="elsewhere")


@pytest.fixture
def house(organization):
    return HouseFactory(organization=organization, name="Maple House", beds=4)


@pytest.fixture
def other_house(organization):
    """A house of the same organization that the manager does not run."""
    return HouseFactory(organization=organization, name="Willow House", gender="women", beds=4)


@pytest.fixture
def foreign_house(other_organization):
    return HouseFactory(organization=other_organization, name="Aspen House", beds=2)


@pytest.fixture
def operator(organization):
    return MembershipFactory(organization=organization, role=Role.OPERATOR, user__full_name="Olivia Operator")


@pytest.fixture
def manager(organization, house):
    membership = MembershipFactory(organization=organization, role=Role.MANAGER, user__full_name="Marcus Manager")
    membership.houses.add(house)
    return membership


@pytest.fixture
def resident_member(organization, house, operator):
    """A resident with a portal login, living in ``house``."""
    membership = MembershipFactory(organization=organization, role=Role.RESIDENT)
    resident = ResidentFactory(organization=organization, membership=membership)
    bed = house.beds.order_by("pk").first()
    stay_services.stay_admit(actor=operator.user, resident=resident, bed=bed, on=date(2026, 1, 5))
    return membership


@pytest.fixture
def outsider(other_organization):
    return MembershipFactory(organization=other_organization, role=Role.OPERATOR)


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


@pytest.fixture(scope="module")
def demo_seeded(django_db_setup, django_db_blocker):
    """``seed_demo``, run once for the test module inside a transaction rolled back at the module's end: seeding
    takes many seconds, and each test still sees it fresh (its own changes roll back with ``db``). The demo stays
    until the module ends, so only modules whose every test uses it should ask for it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_db(demo_seeded, db):
    """The database with the demo in it (see ``demo_seeded``)."""
