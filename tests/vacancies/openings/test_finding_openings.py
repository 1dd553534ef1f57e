"""Each way a bed opening is found, once per bed and night, and how it is called off or filled."""

from datetime import timedelta

from houses.models import Bed
from tests.factories import admit
from vacancies.models import BedOpening
from vacancies.tasks import scan_openings

from .conftest import NOW, TODAY, days, discharge, plan, resident_in, transfer

Cause = BedOpening.Cause


def openings():
    return list(BedOpening.objects.order_by("opens_on", "pk").values_list("bed_id", "opens_on", "cause"))


def open_openings():
    return list(
        BedOpening.objects.filter(filled_at__isnull=True, cancelled_at__isnull=True).values_list("bed_id", "opens_on")
    )


def bed_of(stay):
    return stay.bed_assignments.get(end__isnull=True).bed_id


def test_a_discharge_recorded_for_a_later_night_opens_the_bed_that_night(house):
    stay = resident_in(house)
    bed = bed_of(stay)

    discharge(stay, days(3))

    assert openings() == [(bed, days(3), Cause.DISCHARGE)]


def test_a_discharge_recorded_for_tonight_opens_the_bed_tonight(house):
    stay = resident_in(house)
    bed = bed_of(stay)

    discharge(stay, TODAY)

    assert openings() == [(bed, TODAY, Cause.DISCHARGE)]


def test_a_discharge_recorded_for_a_past_night_opens_the_bed_from_tonight(house):
    stay = resident_in(house)
    bed = bed_of(stay)

    discharge(stay, TODAY - timedelta(days=2))

    assert openings() == [(bed, TODAY, Cause.DISCHARGE)]


def test_a_discharge_beyond_the_notice_days_is_found_by_the_scan_once_it_comes_near(house, clock):
    stay = resident_in(house)
    bed = bed_of(stay)
    discharge(stay, days(12))
    assert openings() == []

    clock.move_to(NOW + timedelta(days=5))
    scan_openings()

    assert openings() == [(bed, days(12), Cause.DISCHARGE)]


def test_a_planned_move_out_within_the_notice_days_opens_the_bed_at_once(house):
    stay = resident_in(house)

    plan(stay, days(5))

    assert openings() == [(bed_of(stay), days(5), Cause.PLANNED)]


def test_a_planned_move_out_further_ahead_is_found_by_the_hourly_scan_when_it_comes_within_the_notice_days(
    house, clock
):
    stay = resident_in(house)
    plan(stay, days(10))
    scan_openings()
    assert openings() == []

    clock.move_to(NOW + timedelta(days=3))
    scan_openings()

    assert openings() == [(bed_of(stay), days(10), Cause.PLANNED)]


def test_the_notice_days_are_the_organizations_own(house, organization):
    organization.opening_notice_days = 14
    organization.save(update_fields=["opening_notice_days"])
    stay = resident_in(house)

    plan(stay, days(12))

    assert openings() == [(bed_of(stay), days(12), Cause.PLANNED)]


def test_a_move_to_another_bed_opens_the_bed_left(house):
    stay = resident_in(house)
    old_bed = bed_of(stay)
    new_bed = Bed.objects.filter(house=house).exclude(pk=old_bed).order_by("pk").first()

    transfer(stay, new_bed, days(2))

    assert openings() == [(old_bed, days(2), Cause.TRANSFER)]


def test_a_bed_someone_is_booked_into_from_that_night_is_not_an_opening(house):
    stay = resident_in(house)
    bed = stay.bed_assignments.get().bed
    discharge(stay, days(3))
    BedOpening.objects.all().delete()
    admit(house, on=days(3), bed=bed)

    scan_openings()

    assert openings() == []


def test_an_opening_is_recorded_once_however_often_it_is_found(house):
    stay = resident_in(house)
    plan(stay, days(4))
    discharge(stay, days(4))

    scan_openings()
    scan_openings()

    assert openings() == [(bed_of_first := stay.bed_assignments.get().bed_id, days(4), Cause.PLANNED)]
    assert BedOpening.objects.filter(bed_id=bed_of_first).count() == 1


def test_clearing_a_planned_move_out_calls_the_opening_off(house):
    stay = resident_in(house)
    plan(stay, days(5))

    plan(stay, None)

    assert BedOpening.objects.get().cancelled_at is not None
    assert open_openings() == []


def test_moving_a_planned_move_out_moves_its_opening_to_the_new_night(house):
    stay = resident_in(house)
    bed = bed_of(stay)
    plan(stay, days(5))
    opening = BedOpening.objects.get()

    plan(stay, days(6))

    assert open_openings() == [(bed, days(6))]
    assert BedOpening.objects.get().pk == opening.pk


def test_a_planned_move_out_cleared_and_set_again_reopens_that_opening(house):
    stay = resident_in(house)
    bed = bed_of(stay)
    plan(stay, days(5))
    plan(stay, None)

    plan(stay, days(5))

    assert open_openings() == [(bed, days(5))]
    assert BedOpening.objects.count() == 1


def test_a_discharge_on_another_night_than_planned_moves_the_opening(house):
    stay = resident_in(house)
    bed = bed_of(stay)
    plan(stay, days(5))

    discharge(stay, days(3))

    assert open_openings() == [(bed, days(3))]


def test_someone_admitted_into_the_bed_fills_the_opening(house):
    stay = resident_in(house)
    bed = stay.bed_assignments.get().bed
    discharge(stay, days(3))

    admit(house, on=days(3), bed=bed)

    assert BedOpening.objects.get().filled_at is not None


def test_someone_moved_into_the_bed_fills_the_opening(house):
    leaving = resident_in(house)
    bed = leaving.bed_assignments.get().bed
    discharge(leaving, days(1))
    other = resident_in(house)

    transfer(other, bed, days(1))

    assert BedOpening.objects.get(bed=bed).filled_at is not None


def test_the_scan_costs_the_same_queries_for_any_number_of_houses_once_openings_are_recorded(
    organization, django_assert_max_num_queries
):
    from tests.factories import HouseFactory

    for _ in range(4):
        plan(resident_in(HouseFactory(organization=organization, beds=2)), days(3))
    scan_openings()

    with django_assert_max_num_queries(12):
        scan_openings(organization.pk)
