"""Whether a bed is in service on a night: one rule (``BedQuerySet.in_service_on``) read by the bed board, capacity
counts, admissions and the bed-night counts the reports use (issue 12, requirement 2)."""

from datetime import date

import pytest

from houses import selectors, services
from houses.models import Bed
from residents.core.services.stays import BedUnavailable, stay_admit
from tests.clock import local_moment, module_clock
from tests.factories import BedFactory, HouseFactory, take_out_of_service

_clock = module_clock(local_moment(2026, 4, 15))

MARCH_1, APRIL_1 = date(2026, 3, 1), date(2026, 4, 1)


@pytest.fixture
def beds(house):
    return list(house.beds.order_by("pk"))


def _in_service(house, night):
    return set(Bed.objects.filter(house=house).in_service_on(night).values_list("label", flat=True))


def test_a_bed_serves_from_its_in_service_date_until_it_is_retired(operator, house, beds):
    services.bed_update(actor=operator, bed=beds[0], in_service_from=date(2026, 3, 10))
    services.bed_retire(actor=operator, bed=beds[1], on=date(2026, 3, 20))
    assert _in_service(house, date(2026, 3, 9)) == {"Bed 2", "Bed 3", "Bed 4"}
    assert _in_service(house, date(2026, 3, 10)) == {"Bed 1", "Bed 2", "Bed 3", "Bed 4"}
    assert _in_service(house, date(2026, 3, 20)) == {"Bed 1", "Bed 3", "Bed 4"}


def test_an_outage_takes_the_nights_from_its_start_up_to_its_end(house, beds):
    take_out_of_service(beds[0], date(2026, 3, 10), date(2026, 3, 12))
    assert "Bed 1" in _in_service(house, date(2026, 3, 9))
    assert "Bed 1" not in _in_service(house, date(2026, 3, 11))
    assert "Bed 1" in _in_service(house, date(2026, 3, 12))


def test_a_house_offers_no_bed_before_it_opens_or_from_the_night_it_closes(organization):
    house = HouseFactory(organization=organization, beds=2, opened_on=date(2026, 3, 5), closed_on=date(2026, 3, 25))
    assert _in_service(house, date(2026, 3, 4)) == set()
    assert _in_service(house, date(2026, 3, 5)) == {"Bed 1", "Bed 2"}
    assert _in_service(house, date(2026, 3, 25)) == set()


def test_bed_nights_of_a_range_follow_the_same_rule_night_by_night(operator, organization, house, beds):
    services.bed_create(actor=operator, room=beds[0].room, label="Added", in_service_from=date(2026, 3, 21))
    services.bed_retire(actor=operator, bed=beds[1], on=date(2026, 3, 11))
    take_out_of_service(beds[2], date(2026, 2, 20), date(2026, 3, 6))
    figures = selectors.bed_nights_by_house(houses=organization.houses.all(), first=MARCH_1, end=APRIL_1)[house.pk]
    night_by_night = sum(len(_in_service(house, date(2026, 3, day))) for day in range(1, 32))
    assert figures == {"offered": 31 * 3 + 10 + 11, "out": 5, "available": night_by_night, "in_service_last_night": 4}


def test_the_spans_of_a_month_add_up_to_the_beds_in_service_each_night(operator, organization, house, beds):
    services.bed_retire(actor=operator, bed=beds[0], on=date(2026, 3, 11))
    take_out_of_service(beds[1], date(2026, 3, 5), date(2026, 3, 8))
    each_night = [0] * 31
    for house_id, start, end, step in selectors.in_service_spans(
        houses=organization.houses.all(), first=MARCH_1, end=APRIL_1
    ):
        assert house_id == house.pk
        for day in range(start.day, (end - MARCH_1).days + 1):
            each_night[day - 1] += step
    assert each_night == [len(_in_service(house, date(2026, 3, day))) for day in range(1, 32)]


def test_capacity_counts_the_beds_in_service_tonight(api, operator, house, beds):
    take_out_of_service(beds[0], date(2026, 4, 1))
    services.bed_retire(actor=operator, bed=beds[1], on=date(2026, 4, 10))
    body = api(operator).get(f"/api/v1/houses/{house.pk}/").json()
    assert (body["capacity"], body["bed_count"]) == (2, 3)


def test_a_bed_added_for_a_later_night_is_not_counted_yet(api, operator, house, beds):
    services.bed_create(actor=operator, room=beds[0].room, label="Soon", in_service_from=date(2026, 5, 1))
    body = api(operator).get(f"/api/v1/houses/{house.pk}/").json()
    assert (body["capacity"], body["bed_count"]) == (4, 4)


def test_the_bed_board_leaves_out_retired_beds_and_counts_outages_as_out(api, operator, manager, house, beds):
    services.bed_retire(actor=operator, bed=beds[0], on=date(2026, 4, 1))
    take_out_of_service(beds[1], date(2026, 4, 10))
    body = api(manager).get(f"/api/v1/houses/{house.pk}/bed-board/").json()
    assert body["summary"] == {"beds": 3, "in_service": 2, "occupied": 0, "free": 2}
    assert {bed["label"]: bed["in_service_tonight"] for bed in body["beds"]} == {
        "Bed 2": False, "Bed 3": True, "Bed 4": True,
    }  # fmt: skip


def test_the_bed_board_of_a_closed_house_has_no_bed_in_service(api, operator, manager, house):
    services.house_update(actor=operator, house=house, closed_on=date(2026, 4, 1))
    body = api(manager).get(f"/api/v1/houses/{house.pk}/bed-board/").json()
    assert body["summary"]["in_service"] == 0


def test_the_bed_board_costs_the_same_queries_for_any_number_of_beds(
    api, manager, house, django_assert_max_num_queries
):
    for label in range(20):
        take_out_of_service(BedFactory(room=house.rooms.first(), label=f"Extra {label}"), date(2026, 4, 1))
    with django_assert_max_num_queries(12):
        assert api(manager).get(f"/api/v1/houses/{house.pk}/bed-board/").status_code == 200


def test_a_bed_cannot_be_admitted_into_before_it_enters_service(operator, house, beds, resident_factory):
    services.bed_update(actor=operator, bed=beds[0], in_service_from=date(2026, 4, 20))
    with pytest.raises(BedUnavailable, match="in service from Apr 20, 2026"):
        stay_admit(actor=operator, resident=resident_factory(), bed=beds[0], on=date(2026, 4, 15))


def test_a_bed_being_retired_cannot_be_admitted_into(operator, house, beds, resident_factory):
    services.bed_retire(actor=operator, bed=beds[0], on=date(2026, 5, 1))
    with pytest.raises(BedUnavailable, match="retired from May 1, 2026"):
        stay_admit(actor=operator, resident=resident_factory(), bed=beds[0], on=date(2026, 4, 15))


def test_a_bed_with_an_outage_ahead_cannot_be_admitted_into(house, beds, resident_factory, operator):
    take_out_of_service(beds[0], date(2026, 4, 20), date(2026, 4, 25), reason="Painting")
    with pytest.raises(BedUnavailable, match=r"out of service from Apr 20, 2026 \(Painting\)"):
        stay_admit(actor=operator, resident=resident_factory(), bed=beds[0], on=date(2026, 4, 15))


def test_a_closed_house_takes_no_admission(operator, house, beds, resident_factory):
    services.house_update(actor=operator, house=house, status="closed")
    with pytest.raises(BedUnavailable, match="Maple House is closed"):
        stay_admit(actor=operator, resident=resident_factory(), bed=beds[0], on=date(2026, 4, 15))
