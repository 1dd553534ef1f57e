"""The one answer to "which beds are free": open tonight, and opening within two weeks, by house."""

from datetime import date, timedelta

import pytest

from houses.models import Bed
from residents.core.services import stays as stay_services
from residents.models import Stay
from tests.factories import BedFactory, HouseFactory, RoomFactory, admit, operator_of, take_out_of_service
from vacancies.selectors import vacancies

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)


def beds_of(house):
    return list(Bed.objects.filter(house=house).order_by("pk"))


def discharge(stay, on):
    return stay_services.stay_discharge(
        actor=operator_of(stay.organization), stay=stay, on=on, reason=Stay.DischargeReason.COMPLETED
    )


def test_an_empty_house_has_every_bed_in_service_open_tonight_and_none_opening():
    house = HouseFactory(beds=4)

    vacancy = vacancies([house], today=TODAY)[house.pk]

    assert (vacancy.in_service, vacancy.open_now, vacancy.opening_soon) == (4, 4, 0)


def test_an_occupied_bed_is_not_open():
    house = HouseFactory(beds=3)
    admit(house, on=TODAY - timedelta(days=30))

    vacancy = vacancies([house], today=TODAY)[house.pk]

    assert (vacancy.in_service, vacancy.open_now) == (3, 2)


def test_a_discharge_recorded_for_a_later_night_opens_the_bed_that_night():
    house = HouseFactory(beds=1)
    stay = admit(house, on=TODAY - timedelta(days=30))
    discharge(stay, TODAY + timedelta(days=3))

    vacancy = vacancies([house], today=TODAY)[house.pk]

    assert vacancy.open_now == 0
    assert vacancy.opening_dates == [(TODAY + timedelta(days=3), 1)]


def test_a_planned_move_out_within_two_weeks_opens_the_bed_that_night():
    house = HouseFactory(beds=1)
    stay = admit(house, on=TODAY - timedelta(days=30))
    Stay.objects.filter(pk=stay.pk).update(expected_move_out=TODAY + timedelta(days=10))

    assert vacancies([house], today=TODAY)[house.pk].opening_dates == [(TODAY + timedelta(days=10), 1)]


def test_a_planned_move_out_beyond_two_weeks_is_not_counted():
    house = HouseFactory(beds=1)
    stay = admit(house, on=TODAY - timedelta(days=30))
    Stay.objects.filter(pk=stay.pk).update(expected_move_out=TODAY + timedelta(days=15))

    assert vacancies([house], today=TODAY)[house.pk].opening_soon == 0


def test_a_bed_someone_is_booked_into_is_neither_open_nor_opening():
    house = HouseFactory(beds=2)
    first, second = beds_of(house)
    admit(bed=first, on=TODAY + timedelta(days=2))
    leaving = admit(bed=second, on=TODAY - timedelta(days=20))
    discharge(leaving, TODAY + timedelta(days=4))
    admit(bed=second, on=TODAY + timedelta(days=4))

    vacancy = vacancies([house], today=TODAY)[house.pk]

    assert (vacancy.open_now, vacancy.opening_soon) == (0, 0)


def test_a_bed_back_from_an_outage_within_two_weeks_is_opening_on_its_return():
    house = HouseFactory(beds=2)
    first, _ = beds_of(house)
    take_out_of_service(first, TODAY - timedelta(days=3), until=TODAY + timedelta(days=5))

    vacancy = vacancies([house], today=TODAY)[house.pk]

    assert (vacancy.in_service, vacancy.open_now) == (1, 1)
    assert vacancy.opening_dates == [(TODAY + timedelta(days=5), 1)]


def test_a_new_bed_entering_service_next_week_is_opening_then():
    house = HouseFactory(beds=1)
    BedFactory(room=RoomFactory(house=house, name="Annex"), in_service_from=TODAY + timedelta(days=7))

    vacancy = vacancies([house], today=TODAY)[house.pk]

    assert (vacancy.in_service, vacancy.open_now, vacancy.opening_dates) == (1, 1, [(TODAY + timedelta(days=7), 1)])


def test_a_house_that_has_closed_offers_nothing():
    house = HouseFactory(beds=2, closed_on=TODAY - timedelta(days=1))

    vacancy = vacancies([house], today=TODAY)[house.pk]

    assert (vacancy.in_service, vacancy.open_now, vacancy.opening_soon) == (0, 0, 0)


def test_the_answer_takes_three_queries_whatever_the_number_of_houses(django_assert_max_num_queries):
    houses = [HouseFactory(beds=3) for _ in range(5)]
    for house in houses:
        stay = admit(house, on=TODAY - timedelta(days=10))
        Stay.objects.filter(pk=stay.pk).update(expected_move_out=TODAY + timedelta(days=3))

    with django_assert_max_num_queries(3):
        found = vacancies(houses, today=TODAY)

    assert [found[house.pk].open_now for house in houses] == [2] * 5
