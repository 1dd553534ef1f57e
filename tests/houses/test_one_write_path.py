"""The API writes houses, rooms, beds, outages, memberships and the organization through the same services as the
pages (issue 15, item 1), so it refuses what the pages refuse; the services check the acting member's role themselves
and take a ``Membership`` (item 4)."""

from datetime import date

import pytest

from accounts.exceptions import Invalid, NotAllowed
from accounts.services import organization_update
from houses import services
from houses.api import BedOutageViewSet, BedViewSet, HouseViewSet, RoomViewSet
from houses.models import House, Room
from houses.staff_api import MembershipViewSet
from tests.clock import local_moment, module_clock

_clock = module_clock(local_moment(2026, 4, 15))


@pytest.fixture
def kitchen(operator, house):
    return services.room_create(actor=operator, house=house, name="Kitchen")


def test_the_api_refuses_a_room_named_like_another_in_another_case(api, operator, house, kitchen):
    response = api(operator).post("/api/v1/rooms/", {"house": house.pk, "name": "kitchen"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["This house already has a room with this name."]}
    assert Room.objects.filter(house=house, name__iexact="kitchen").count() == 1


def test_the_api_refuses_renaming_a_room_like_another_in_another_case(api, operator, house, kitchen):
    room = house.rooms.exclude(pk=kitchen.pk).first()
    response = api(operator).patch(f"/api/v1/rooms/{room.pk}/", {"name": "KITCHEN"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["This house already has a room with this name."]}


def test_the_api_keeps_a_room_in_its_house(api, operator, house, other_house, kitchen):
    response = api(operator).patch(f"/api/v1/rooms/{kitchen.pk}/", {"house": other_house.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"house": ["A room cannot move to another house."]}


def test_the_api_trims_a_room_name_as_the_page_does(api, operator, house):
    response = api(operator).post("/api/v1/rooms/", {"house": house.pk, "name": "  Attic "}, format="json")
    assert response.status_code == 201
    assert response.json()["name"] == "Attic"


def test_a_manager_cannot_open_a_house_through_the_service(manager):
    with pytest.raises(NotAllowed):
        services.house_create(actor=manager, name="Pine House", gender=House.Gender.MEN)


def test_a_manager_cannot_add_a_room_to_a_house_they_do_not_run(manager, other_house):
    with pytest.raises(NotAllowed):
        services.room_create(actor=manager, house=other_house, name="Attic")


def test_a_manager_cannot_take_out_a_bed_of_a_house_they_do_not_run(manager, other_house):
    bed = other_house.beds.first()
    with pytest.raises(NotAllowed):
        services.bed_take_out_of_service(actor=manager, bed=bed, reason="Leak", start=date(2026, 4, 16), until=None)


def test_an_operator_of_another_organization_cannot_retire_a_bed(outsider, house):
    with pytest.raises(NotAllowed):
        services.bed_retire(actor=outsider, bed=house.beds.first(), on=date(2026, 5, 1))


def test_a_resident_cannot_change_a_house(resident_member, house):
    with pytest.raises(NotAllowed):
        services.house_update(actor=resident_member, house=house, phone="555")


def test_only_an_operator_invites_staff(manager):
    with pytest.raises(NotAllowed):
        services.staff_invite(actor=manager, email="x@example.org", full_name="X", role="manager", base_url="/")


def test_an_operator_cannot_be_given_houses_when_invited(operator, house):
    with pytest.raises(Invalid) as refusal:
        services.staff_invite(
            actor=operator, email="x@example.org", full_name="X", role="operator", houses=[house], base_url="/"
        )
    assert refusal.value.field == "houses"


def test_a_members_email_cannot_be_changed_through_the_service(operator, manager):
    with pytest.raises(Invalid) as refusal:
        services.staff_update(actor=operator, membership=manager, email="someone.else@example.org")
    assert refusal.value.field == "email"


def test_only_an_operator_changes_the_organization(manager):
    with pytest.raises(NotAllowed):
        organization_update(actor=manager, name="Renamed")


def test_the_api_refuses_an_unknown_time_zone_for_the_organization(api, operator):
    response = api(operator).patch("/api/v1/organization/", {"timezone": "Mars/Olympus"}, format="json")
    assert response.status_code == 400
    assert "timezone" in response.json()


@pytest.mark.parametrize("viewset", [HouseViewSet, RoomViewSet, BedViewSet, BedOutageViewSet, MembershipViewSet])
def test_each_viewset_takes_its_rows_from_a_selector_and_saves_through_services(viewset):
    assert viewset.selector is not None
    assert "get_queryset" not in vars(viewset)
    serializer = viewset.serializer_class
    assert "create" not in vars(serializer)
    assert "update" not in vars(serializer)
