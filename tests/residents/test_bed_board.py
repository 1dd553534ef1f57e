from datetime import date

import pytest

from houses.models import Bed
from residents.core.selectors.bed_board import bed_board
from residents.core.services.stays import stay_admit, stay_discharge
from tests.factories import HouseFactory, take_out_of_service

NIGHT = date(2026, 3, 10)


@pytest.fixture
def board_house(organization, manager):
    house = HouseFactory(organization=organization, name="Board House", beds=4)
    manager.houses.add(house)
    return house


def _board(api, manager, house, night=NIGHT):
    return api(manager).get(f"/api/v1/houses/{house.pk}/bed-board/?night={night.isoformat()}").json()


def test_the_board_shows_each_bed_with_its_occupant_and_days_in_house(api, manager, board_house, resident_factory):
    beds = list(Bed.objects.filter(house=board_house).order_by("label"))
    resident = resident_factory(legal_first_name="Robert", preferred_name="Bobby", legal_last_name="Diaz")
    stay_admit(actor=manager, resident=resident, bed=beds[0], on=date(2026, 3, 1))
    body = _board(api, manager, board_house)
    first = next(bed for bed in body["beds"] if bed["id"] == beds[0].pk)
    assert first["occupant"] == {
        "resident": resident.pk, "stay": resident.stays.get().pk, "name": "Bobby Diaz",
        "move_in": "2026-03-01", "days_in_house": 9,
    }  # fmt: skip
    assert body["summary"] == {"beds": 4, "in_service": 4, "occupied": 1, "free": 3}


def test_an_out_of_service_bed_is_neither_free_nor_counted_in_service(api, manager, board_house):
    bed = board_house.beds.first()
    take_out_of_service(bed, date(2026, 3, 1), reason="Leak")
    body = _board(api, manager, board_house)
    assert body["summary"] == {"beds": 4, "in_service": 3, "occupied": 0, "free": 3}
    assert next(b for b in body["beds"] if b["id"] == bed.pk)["in_service_tonight"] is False


def test_a_discharged_resident_leaves_the_bed_free_from_move_out(api, manager, board_house, resident_factory):
    bed = board_house.beds.first()
    stay = stay_admit(actor=manager, resident=resident_factory(), bed=bed, on=date(2026, 3, 1))
    stay_discharge(actor=manager, stay=stay, on=NIGHT, reason="completed")
    assert _board(api, manager, board_house)["summary"]["occupied"] == 0
    assert _board(api, manager, board_house, date(2026, 3, 9))["summary"]["occupied"] == 1


def test_a_future_admission_shows_as_booked(api, manager, board_house, resident_factory):
    bed = board_house.beds.first()
    stay_admit(actor=manager, resident=resident_factory(), bed=bed, on=date(2026, 3, 20))
    row = next(b for b in _board(api, manager, board_house)["beds"] if b["id"] == bed.pk)
    assert row["occupant"] is None
    assert row["booked_from"] == "2026-03-20"


def test_the_board_costs_the_same_queries_for_any_house_size(
    api, manager, organization, resident_factory, django_assert_max_num_queries
):
    client = api(manager)
    sizes = {}
    for beds in (4, 40):
        house = HouseFactory(organization=organization, beds=beds)
        manager.houses.add(house)
        for bed in list(house.beds.all())[: beds // 2]:
            stay_admit(actor=manager, resident=resident_factory(), bed=bed, on=date(2026, 3, 1))
        with django_assert_max_num_queries(10) as captured:
            assert client.get(f"/api/v1/houses/{house.pk}/bed-board/").status_code == 200
        sizes[beds] = len(captured.captured_queries)
    assert sizes[4] == sizes[40]


def test_the_selector_covers_every_house_a_manager_runs(manager, board_house, house, other_house):
    houses = {bed.house_id for bed in bed_board(viewer=manager)}
    assert houses == {board_house.pk, house.pk}


def test_residents_cannot_see_the_board(api, resident_member, house):
    assert api(resident_member).get(f"/api/v1/houses/{house.pk}/bed-board/").status_code == 403


def test_another_organizations_board_is_not_found(api, outsider, house):
    assert api(outsider).get(f"/api/v1/houses/{house.pk}/bed-board/").status_code == 404


def test_a_bad_night_is_a_400_naming_it(api, manager, board_house):
    response = api(manager).get(f"/api/v1/houses/{board_house.pk}/bed-board/?night=tomorrow")
    assert response.status_code == 400
    assert "night" in response.json()
