"""Who may reach the openings pages: the openings page is the staff's (a manager sees only their houses'), an
offer's page is anyone's who holds its link (the token is the credential), and a planned move-out is set by an
operator or a manager of the resident's house, on the resident's page or through the API."""

from datetime import date

import pytest

from residents.models import Resident, Stay
from tests.conftest import api_client_for
from tests.forms import FormClient
from vacancies.models import WaitlistOffer

from .conftest import days, plan, resident_in, waiting

ROLES = ["operator", "manager", "resident_member", "outsider"]
STAFF_PAGE = {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 200}
EVERYONE = {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}

MATRIX = [
    ("/dashboard/openings/", STAFF_PAGE),
    ("/offers/{offer}/", EVERYONE),
]
# A planned move-out 13 days ahead (in the world's clock, tests/vacancies/openings/conftest.py).
WRITES = [
    (
        "/dashboard/residents/{resident}/planned-move-out/",
        {"move-out-on": "2026-12-20"},
        {"operator": 302, "manager": 302, "resident_member": 403, "outsider": 404},
    ),
    (
        "/dashboard/residents/{other_resident}/planned-move-out/",
        {"move-out-on": "2026-12-20"},
        {"operator": 302, "manager": 404, "resident_member": 403, "outsider": 404},
    ),
    (
        "/api/v1/stays/{stay}/plan-move-out/",
        {"on": "2026-12-20"},
        {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404},
    ),
    (
        "/api/v1/stays/{other_stay}/plan-move-out/",
        {"on": "2026-12-20"},
        {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404},
    ),
]


@pytest.fixture
def world(house, other_house, operator, resident_member, commit):
    stay = resident_in(house)
    other_stay = resident_in(other_house)
    waiting(other_house, "Avery", date(2026, 10, 1))
    with commit():
        plan(other_stay, days(3))
    return {
        "resident": stay.resident,
        "stay": stay,
        "other_resident": other_stay.resident,
        "other_stay": other_stay,
        "offer": WaitlistOffer.objects.get().token,
    }


def _fill(path, world):
    return path.format(**{name: getattr(value, "pk", value) for name, value in world.items()})


def _client(member) -> FormClient:
    client = FormClient()
    client.force_login(member.user)
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "expected"), MATRIX)
def test_each_role_gets_exactly_its_access(request, world, role, path, expected):
    member = request.getfixturevalue(role)
    assert _client(member).get(_fill(path, world)).status_code == expected[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "body", "expected"), WRITES)
def test_only_staff_of_the_house_set_a_planned_move_out(request, world, role, path, body, expected):
    member = request.getfixturevalue(role)
    url = _fill(path, world)
    # Roles refused the page have no form to submit: the post is hand-made (the page's own form: test_planned_move_out).
    if url.startswith("/api/"):
        response = api_client_for(member).post(url, body, format="json")
    else:
        response = _client(member).post(url, body)
    assert response.status_code == expected[role]
    changed = Stay.objects.filter(expected_move_out=date(2026, 12, 20)).exists()
    assert changed == (expected[role] in (200, 302))


def test_an_anonymous_visitor_opens_an_offer_by_its_link_but_not_the_openings_page(client, world):
    assert client.get(_fill("/offers/{offer}/", world)).status_code == 200
    response = client.get("/dashboard/openings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_manager_sees_only_the_openings_of_their_houses(world, manager, operator):
    assert "Willow House" not in _client(manager).get("/dashboard/openings/").content.decode()
    assert "Willow House" in _client(operator).get("/dashboard/openings/").content.decode()


def test_another_organizations_operator_sees_none_of_the_openings(world, outsider):
    page = _client(outsider).get("/dashboard/openings/").content.decode()
    assert "Willow House" not in page
    assert "Avery" not in page
    assert Resident.objects.filter(organization=outsider.organization).count() == 0
