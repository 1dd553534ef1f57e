"""Every page, opened by every role, on its own organization's objects and on those of another house or organization.

Roles: the operator; a manager who runs ``house`` but not ``other_house``; a resident living in ``house``; an
operator of another organization (``outsider``). A role not allowed on a page gets 403; an object outside what the
member may see is 404, as if it did not exist.
"""

import inspect

import pytest

from tests.access import world_once_per_module

from . import conftest as pages

ROLE_NAMES = ["house", "other_house", "foreign_house", "operator", "manager", "resident_member", "outsider"]


def _world(organization, **made):
    """The pages' world (tests/pages/conftest.py ``world``), made once for the module."""
    return inspect.unwrap(pages.world)(organization=organization, **{name: made[name] for name in ROLE_NAMES})


# Each test gets its own copy of the world, and its writes roll back (tests/access.py).
globals().update(world_once_per_module(_world, ["organization", *ROLE_NAMES]))

ROLES = ["operator", "manager", "resident_member", "outsider"]
STAFF_ONLY = {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 200}
OWN_HOUSE = {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}
OTHER_HOUSE = {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}
OPERATORS = {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 200}
OPERATORS_OWN = {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 404}
FOREIGN = {"operator": 404, "manager": 404, "resident_member": 403, "outsider": 200}
FOREIGN_OPERATORS = {"operator": 404, "manager": 403, "resident_member": 403, "outsider": 200}

MATRIX = [
    ("/dashboard/", STAFF_ONLY),
    ("/portal/", {"operator": 403, "manager": 403, "resident_member": 200, "outsider": 403}),
    ("/dashboard/houses/{house}/beds/", OWN_HOUSE),
    ("/dashboard/houses/{other_house}/beds/", OTHER_HOUSE),
    ("/dashboard/houses/{foreign_house}/beds/", FOREIGN),
    ("/dashboard/houses/{house}/beds/{bed}/admit/", OWN_HOUSE),
    ("/dashboard/houses/{other_house}/beds/{other_bed}/admit/", OTHER_HOUSE),
    ("/dashboard/houses/{house}/beds/{other_bed}/admit/", {"operator": 404, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("/dashboard/houses/{house}/waitlist/", OWN_HOUSE),
    ("/dashboard/houses/{other_house}/waitlist/", OTHER_HOUSE),
    ("/dashboard/stays/{stay}/transfer/", OWN_HOUSE),
    ("/dashboard/stays/{other_stay}/transfer/", OTHER_HOUSE),
    ("/dashboard/stays/{foreign_stay}/discharge/", FOREIGN),
    ("/dashboard/stays/{stay}/discharge/", OWN_HOUSE),
    ("/dashboard/stays/{other_stay}/discharge/", OTHER_HOUSE),
    ("/dashboard/residents/", STAFF_ONLY),
    ("/dashboard/residents/{resident}/", OWN_HOUSE),
    ("/dashboard/residents/{other_resident}/", OTHER_HOUSE),
    ("/dashboard/residents/{foreign_resident}/", FOREIGN),
    ("/dashboard/applications/", STAFF_ONLY),
    ("/dashboard/applications/new/", STAFF_ONLY),
    ("/dashboard/applications/{application}/", OWN_HOUSE),
    ("/dashboard/applications/{other_application}/", OTHER_HOUSE),
    ("/dashboard/applications/{foreign_application}/", FOREIGN),
    ("/dashboard/applications/{application}/erase/", OWN_HOUSE),
    ("/dashboard/applications/{other_application}/erase/", OTHER_HOUSE),
    ("/dashboard/applications/{foreign_application}/erase/", FOREIGN),
    ("/dashboard/houses/", OPERATORS),
    ("/dashboard/houses/new/", OPERATORS),
    ("/dashboard/houses/{house}/edit/", OPERATORS_OWN),
    ("/dashboard/houses/{foreign_house}/edit/", FOREIGN_OPERATORS),
    ("/dashboard/houses/{house}/rooms/", OPERATORS_OWN),
    ("/dashboard/houses/{foreign_house}/rooms/", FOREIGN_OPERATORS),
    ("/dashboard/houses/{house}/beds/{bed}/out-of-service/", OPERATORS_OWN),
    ("/dashboard/houses/{foreign_house}/beds/{foreign_bed}/out-of-service/", FOREIGN_OPERATORS),
    ("/dashboard/staff/", OPERATORS),
    ("/dashboard/staff/{membership}/", OPERATORS_OWN),
    ("/dashboard/staff/{foreign_membership}/", FOREIGN_OPERATORS),
    ("/dashboard/settings/", OPERATORS),
    ("/dashboard/settings/rent/", OPERATORS),
    ("/dashboard/settings/rent/{house}/", OPERATORS_OWN),
    ("/dashboard/settings/rent/{foreign_house}/", FOREIGN_OPERATORS),
    ("/dashboard/audit/", OPERATORS),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "expected"), MATRIX, ids=[path for path, _ in MATRIX])
def test_each_role_gets_exactly_its_access_to_each_page(request, page, world, role, path, expected):
    member = request.getfixturevalue(role)
    url = path.format(**{name: obj.pk for name, obj in world.items()})
    response = page(member).get(url)
    assert response.status_code == expected[role]


# Writes: (path, body) posted by each role; a forbidden or unseen target must change nothing. A role refused the
# write cannot load the page that shows its form (403 or 404), so these requests are sent as crafted.
WRITES = [
    ("/dashboard/stays/{other_stay}/discharge/", {"on": "2026-02-01", "reason": "voluntary"}, OTHER_HOUSE),
    ("/dashboard/residents/{other_resident}/profile/", {"legal_first_name": "X", "legal_last_name": "Y", "payer": "self"}, OTHER_HOUSE),
    ("/dashboard/applications/{other_application}/move/", {"status": "declined", "reason": "No bed"}, OTHER_HOUSE),
    ("/dashboard/applications/{other_application}/contact/", {"note": "Called"}, OTHER_HOUSE),
    ("/dashboard/applications/{other_application}/erase/", {"confirm": "on"}, OTHER_HOUSE),
    ("/dashboard/applications/{foreign_application}/erase/", {"confirm": "on"}, FOREIGN),
    ("/dashboard/houses/{foreign_house}/rooms/add/", {"room-name": "Attic", "room-floor": "3"}, FOREIGN_OPERATORS),
    ("/dashboard/staff/{membership}/active/", {"active": "no"}, OPERATORS_OWN),
]  # fmt: skip


REFUSED_WRITES = [
    (role, path, body, expected[role])
    for path, body, expected in WRITES
    for role in ["manager", "resident_member", "outsider"]
    if expected[role] != 200
]


@pytest.mark.parametrize(
    ("role", "path", "body", "status"), REFUSED_WRITES, ids=[f"{role}-{path}" for role, path, _, _ in REFUSED_WRITES]
)
def test_a_write_to_something_out_of_reach_is_refused_and_changes_nothing(
    request, page, world, role, path, body, status
):
    from houses.models import Room
    from residents.models import Application, ApplicationEvent, Stay

    def counts():
        return (
            Room.objects.count(),
            Stay.objects.open().count(),
            Application.objects.count(),
            ApplicationEvent.objects.count(),
        )

    member = request.getfixturevalue(role)
    url = path.format(**{name: obj.pk for name, obj in world.items()})
    before = counts()
    response = page(member).post(url, body)
    assert response.status_code == status
    assert counts() == before
    world["other_resident"].refresh_from_db()
    assert world["other_resident"].legal_first_name == "Nora"


def test_the_operator_of_another_organization_writes_to_their_own_house(page, world, outsider):
    house = world["foreign_house"]
    response = page(outsider).submit(
        f"/dashboard/houses/{house.pk}/rooms/", {"room-name": "Attic", "room-floor": "3"}, button="Add room"
    )
    assert response.status_code == 302
    assert house.rooms.filter(name="Attic").exists()


def test_a_resident_gets_the_403_page_not_a_bare_error(page, resident_member):
    response = page(resident_member).get("/dashboard/residents/")
    assert response.status_code == 403
    assert "This page is not available to you" in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_login_from_every_staff_page(client, world):
    for path, _expected in MATRIX:
        url = path.format(**{name: obj.pk for name, obj in world.items()})
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
