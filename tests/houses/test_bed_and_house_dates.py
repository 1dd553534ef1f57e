"""Beds and houses over time: a bed's ``in_service_from`` and ``retired_on``, a house's ``opened_on`` and
``closed_on``, through the API and the operator pages (issue 12, requirement 1)."""

from datetime import date

import pytest
import time_machine

from houses import services
from houses.models import Bed, House
from residents.core.services.stays import stay_admit
from tests.clock import local_moment, module_clock
from tests.factories import HouseFactory

_clock = module_clock(local_moment(2026, 4, 15))

TODAY = date(2026, 4, 15)


@pytest.fixture
def bed(house):
    return house.beds.order_by("pk").first()


@pytest.fixture
def occupied(operator, bed, resident_factory):
    resident = resident_factory(legal_first_name="Ruth", legal_last_name="Baker")
    stay_admit(actor=operator, resident=resident, bed=bed, on=date(2026, 3, 1))
    return resident


def _beds_url(bed=None):
    return f"/api/v1/beds/{bed.pk}/" if bed else "/api/v1/beds/"


# API: beds


def test_a_bed_added_to_a_house_that_has_had_residents_serves_from_today(api, operator, house, occupied):
    response = api(operator).post(_beds_url(), {"room": house.rooms.first().pk, "label": "Cot"}, format="json")
    assert response.status_code == 201
    assert response.json()["in_service_from"] == "2026-04-15"


def _empty_house_entered_on(moment, organization, operator, opened_on):
    """A house with a room and nobody ever in it, entered into Hearth at ``moment``."""
    with time_machine.travel(moment, tick=False):
        house = HouseFactory(organization=organization, name="Cedar House", opened_on=opened_on)
        return services.room_create(actor=operator, house=house, name="Front")


def test_a_bed_entered_with_its_house_serves_from_the_houses_opening(api, operator, organization):
    room = _empty_house_entered_on(local_moment(2026, 4, 15, 8), organization, operator, opened_on=date(2025, 6, 1))
    response = api(operator).post(_beds_url(), {"room": room.pk, "label": "Cot"}, format="json")
    assert response.json()["in_service_from"] == "2025-06-01"


def test_a_bed_added_to_an_empty_house_entered_before_today_serves_from_today(api, operator, organization):
    room = _empty_house_entered_on(local_moment(2025, 9, 1), organization, operator, opened_on=date(2025, 6, 1))
    response = api(operator).post(_beds_url(), {"room": room.pk, "label": "Cot"}, format="json")
    assert response.json()["in_service_from"] == "2026-04-15"


def test_a_house_entered_late_last_night_in_its_own_time_zone_is_not_entered_today(api, operator, organization):
    # 11:30 p.m. in Chicago on April 14 is already April 15 in UTC.
    room = _empty_house_entered_on(local_moment(2026, 4, 14, 23, 30), organization, operator, date(2025, 6, 1))
    response = api(operator).post(_beds_url(), {"room": room.pk, "label": "Cot"}, format="json")
    assert response.json()["in_service_from"] == "2026-04-15"


def test_a_bed_added_before_its_house_opens_serves_from_the_opening(api, operator, organization):
    room = _empty_house_entered_on(local_moment(2026, 3, 1), organization, operator, opened_on=date(2026, 5, 1))
    response = api(operator).post(_beds_url(), {"room": room.pk, "label": "Cot"}, format="json")
    assert response.json()["in_service_from"] == "2026-05-01"


def test_a_bed_saved_without_a_date_serves_from_today(house):
    bed = Bed(room=house.rooms.first(), label="Cot")
    bed.save()
    assert bed.in_service_from == TODAY


def test_a_bed_keeps_the_in_service_date_it_is_given(api, operator, house):
    body = {"room": house.rooms.first().pk, "label": "Cot", "in_service_from": "2026-02-01"}
    assert api(operator).post(_beds_url(), body, format="json").json()["in_service_from"] == "2026-02-01"


def test_retiring_a_bed_sets_its_first_night_no_longer_offered(api, operator, bed):
    response = api(operator).patch(_beds_url(bed), {"retired_on": "2026-04-20"}, format="json")
    assert response.status_code == 200
    assert response.json()["retired_on"] == "2026-04-20"


def test_retiring_an_occupied_bed_is_refused_naming_the_resident_and_nothing_written(api, operator, bed, occupied):
    response = api(operator).patch(_beds_url(bed), {"retired_on": "2026-04-20"}, format="json")
    assert response.status_code == 400
    [message] = response.json()["retired_on"]
    assert str(occupied) in message
    assert "cannot be retired" in message
    bed.refresh_from_db()
    assert bed.retired_on is None


def test_a_bed_is_retired_after_the_night_it_entered_service(api, operator, bed):
    response = api(operator).patch(_beds_url(bed), {"retired_on": "2023-12-01"}, format="json")
    assert response.status_code == 400
    assert "retire it from a later night" in response.json()["retired_on"][0]


def test_a_retirement_is_taken_back_with_null(api, operator, bed):
    services.bed_retire(actor=operator, bed=bed, on=date(2026, 4, 20))
    response = api(operator).patch(_beds_url(bed), {"retired_on": None}, format="json")
    assert response.status_code == 200
    bed.refresh_from_db()
    assert bed.retired_on is None


def test_a_beds_entry_into_service_cannot_move_past_a_night_someone_slept_in_it(api, operator, bed, occupied):
    response = api(operator).patch(_beds_url(bed), {"in_service_from": "2026-03-05"}, format="json")
    assert response.status_code == 400
    assert str(occupied) in response.json()["in_service_from"][0]
    bed.refresh_from_db()
    assert bed.in_service_from == date(2024, 1, 1)


def test_a_manager_cannot_retire_a_bed_of_a_house_they_do_not_run(api, manager, other_house):
    other_bed = other_house.beds.first()
    response = api(manager).patch(_beds_url(other_bed), {"retired_on": "2026-04-20"}, format="json")
    assert response.status_code == 404
    other_bed.refresh_from_db()
    assert other_bed.retired_on is None


def test_a_resident_cannot_retire_a_bed(api, resident_member, bed):
    assert api(resident_member).patch(_beds_url(bed), {"retired_on": "2026-04-20"}, format="json").status_code == 403


# API: houses


def test_closing_a_house_without_a_date_closes_it_from_tonight(api, operator, house):
    response = api(operator).patch(f"/api/v1/houses/{house.pk}/", {"status": "closed"}, format="json")
    assert response.status_code == 200
    assert (response.json()["closed_on"], response.json()["capacity"]) == ("2026-04-15", 0)


def test_a_closing_date_closes_the_house(api, operator, house):
    response = api(operator).patch(f"/api/v1/houses/{house.pk}/", {"closed_on": "2026-05-01"}, format="json")
    assert (response.json()["status"], response.json()["closed_on"]) == ("closed", "2026-05-01")


def test_reopening_a_house_clears_its_closing_date(api, operator, house):
    services.house_update(actor=operator, house=house, closed_on=date(2026, 5, 1))
    response = api(operator).patch(f"/api/v1/houses/{house.pk}/", {"status": "active"}, format="json")
    assert (response.json()["status"], response.json()["closed_on"]) == ("active", None)


def test_closing_a_house_someone_lives_in_is_refused_naming_them(api, operator, house, occupied):
    response = api(operator).patch(f"/api/v1/houses/{house.pk}/", {"closed_on": "2026-05-01"}, format="json")
    assert response.status_code == 400
    assert str(occupied) in response.json()["closed_on"][0]
    house.refresh_from_db()
    assert (house.status, house.closed_on) == ("active", None)


def test_a_house_closes_after_the_night_it_opened(api, operator, house):
    response = api(operator).patch(f"/api/v1/houses/{house.pk}/", {"closed_on": "2023-06-01"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"closed_on": ["A house closes after the night it opened."]}


def test_a_new_house_opens_today_unless_told(api, operator):
    response = api(operator).post("/api/v1/houses/", {"name": "Cedar House", "gender": "women"}, format="json")
    assert response.status_code == 201
    assert (response.json()["opened_on"], response.json()["closed_on"]) == ("2026-04-15", None)


def test_the_house_list_costs_the_same_queries_for_any_number_of_houses(
    api, operator, organization, django_assert_max_num_queries
):
    for number in range(15):
        HouseFactory(organization=organization, name=f"Extra {number}", beds=3)
    with django_assert_max_num_queries(8):
        assert api(operator).get("/api/v1/houses/").status_code == 200


# Pages


def test_adding_a_bed_on_the_page_records_its_in_service_date(page, operator, house):
    response = page(operator).submit(
        f"/dashboard/houses/{house.pk}/rooms/",
        {"bed-room": house.rooms.first().pk, "bed-label": "Cot", "bed-in_service_from": "2026-04-01"},
        button="Add bed",
        follow=True,
    )
    assert "Cot added to Room 1." in response.content.decode()
    assert Bed.objects.get(label="Cot").in_service_from == date(2026, 4, 1)


def test_the_bed_form_offers_today_for_a_house_that_has_had_residents(page, operator, house, occupied):
    body = page(operator).get(f"/dashboard/houses/{house.pk}/rooms/").content.decode()
    assert 'name="bed-in_service_from" value="2026-04-15"' in body


def test_the_bed_form_offers_today_for_an_empty_house_entered_before_today(page, operator, organization):
    room = _empty_house_entered_on(local_moment(2025, 9, 1), organization, operator, opened_on=date(2025, 6, 1))
    body = page(operator).get(f"/dashboard/houses/{room.house_id}/rooms/").content.decode()
    assert 'name="bed-in_service_from" value="2026-04-15"' in body


def test_editing_a_beds_in_service_date_on_its_page(page, operator, house, bed):
    url = f"/dashboard/houses/{house.pk}/beds/{bed.pk}/edit/"
    response = page(operator).submit(url, {"in_service_from": "2025-01-01"}, follow=True)
    assert "Room 1 · Bed 1 saved." in response.content.decode()
    bed.refresh_from_db()
    assert bed.in_service_from == date(2025, 1, 1)


def test_retiring_a_bed_on_its_page(page, operator, house, bed):
    url = f"/dashboard/houses/{house.pk}/beds/{bed.pk}/retire/"
    response = page(operator).submit(url, {"retired_on": "2026-04-20"}, follow=True)
    assert "Room 1 · Bed 1 is retired from Apr 20, 2026." in response.content.decode()
    bed.refresh_from_db()
    assert bed.retired_on == date(2026, 4, 20)


def test_retiring_an_occupied_bed_on_its_page_shows_who_sleeps_there(page, operator, house, bed, occupied):
    url = f"/dashboard/houses/{house.pk}/beds/{bed.pk}/retire/"
    response = page(operator).submit(url, {"retired_on": "2026-04-20"})
    assert response.status_code == 400
    [message] = response.context["form"].errors["retired_on"]
    assert str(occupied) in message
    bed.refresh_from_db()
    assert bed.retired_on is None


def test_a_retired_bed_shows_as_retired_and_its_retirement_can_be_undone(page, operator, house, bed):
    services.bed_retire(actor=operator, bed=bed, on=date(2026, 4, 10))
    client, rooms = page(operator), f"/dashboard/houses/{house.pk}/rooms/"
    assert "Retired</span>" in client.get(rooms).content.decode()
    undo = f"form[action$='/beds/{bed.pk}/unretire/']"
    response = client.submit(rooms, form=undo, follow=True)
    assert "is no longer retired." in response.content.decode()
    bed.refresh_from_db()
    assert bed.retired_on is None


def test_closing_a_house_on_its_form(page, operator, house):
    response = page(operator).submit(f"/dashboard/houses/{house.pk}/edit/", {"closed_on": "2026-05-01"}, follow=True)
    assert "Maple House saved." in response.content.decode()
    house.refresh_from_db()
    assert (house.status, house.closed_on) == (House.Status.CLOSED, date(2026, 5, 1))


def test_closing_an_occupied_house_on_its_form_shows_who_lives_there(page, operator, house, occupied):
    response = page(operator).submit(f"/dashboard/houses/{house.pk}/edit/", {"status": "closed"})
    assert response.status_code == 400
    assert str(occupied) in response.context["form"].errors["closed_on"][0]
    house.refresh_from_db()
    assert house.closed_on is None


def test_the_rooms_page_costs_the_same_queries_for_any_number_of_beds(
    page, operator, house, django_assert_max_num_queries
):
    for number in range(20):
        services.bed_create(actor=operator, room=house.rooms.first(), label=f"Extra {number}")
    client = page(operator)
    with django_assert_max_num_queries(15):
        assert client.get(f"/dashboard/houses/{house.pk}/rooms/").status_code == 200
