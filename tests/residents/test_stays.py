"""Admissions, transfers and discharges keep one resident per bed per night and one open stay per resident."""

from datetime import date

import pytest
from django.db import IntegrityError

from accounts.exceptions import Conflict, DomainError
from houses.models import Bed
from residents.core.services.stays import BedUnavailable, stay_admit, stay_discharge, stay_transfer
from residents.models import BedAssignment, Stay
from tests.factories import BedFactory, HouseFactory, take_out_of_service

MARCH_1 = date(2026, 3, 1)


@pytest.fixture
def actor(operator):
    return operator


def test_admitting_opens_a_stay_with_its_bed(actor, resident_factory, free_bed):
    stay = stay_admit(actor=actor, resident=resident_factory(), bed=free_bed, on=MARCH_1)
    assert stay.is_open
    assert stay.current_assignment.bed == free_bed
    assert stay.admitted_by == actor.user


def test_a_bed_cannot_be_admitted_into_twice(actor, resident_factory, free_bed):
    stay_admit(actor=actor, resident=resident_factory(), bed=free_bed, on=MARCH_1)
    with pytest.raises(BedUnavailable, match="occupied"):
        stay_admit(actor=actor, resident=resident_factory(), bed=free_bed, on=date(2026, 3, 2))


def test_a_bed_booked_from_a_later_date_cannot_take_someone_now(actor, resident_factory, free_bed):
    stay_admit(actor=actor, resident=resident_factory(), bed=free_bed, on=date(2026, 3, 10))
    with pytest.raises(BedUnavailable, match="booked"):
        stay_admit(actor=actor, resident=resident_factory(), bed=free_bed, on=MARCH_1)


def test_a_bed_is_free_again_from_the_move_out_night(actor, resident_factory, free_bed):
    stay = stay_admit(actor=actor, resident=resident_factory(), bed=free_bed, on=MARCH_1)
    stay_discharge(actor=actor, stay=stay, on=date(2026, 3, 20), reason="completed")
    second = stay_admit(actor=actor, resident=resident_factory(), bed=free_bed, on=date(2026, 3, 20))
    assert second.is_open


def test_a_discharged_bed_cannot_be_backdated_into_the_previous_stay(actor, resident_factory, free_bed):
    stay = stay_admit(actor=actor, resident=resident_factory(), bed=free_bed, on=MARCH_1)
    stay_discharge(actor=actor, stay=stay, on=date(2026, 3, 20), reason="voluntary")
    with pytest.raises(BedUnavailable):
        stay_admit(actor=actor, resident=resident_factory(), bed=free_bed, on=date(2026, 3, 19))


def test_a_resident_has_at_most_one_open_stay(actor, resident_factory, house):
    resident = resident_factory()
    beds = list(Bed.objects.filter(house=house))
    stay_admit(actor=actor, resident=resident, bed=beds[0], on=MARCH_1)
    with pytest.raises(Conflict, match="already has an open stay"):
        stay_admit(actor=actor, resident=resident, bed=beds[1], on=MARCH_1)


def test_the_database_refuses_a_second_open_stay_even_past_the_service(actor, resident_factory, house):
    resident = resident_factory()
    stay_admit(actor=actor, resident=resident, bed=house.beds.first(), on=MARCH_1)
    with pytest.raises(IntegrityError):
        Stay.objects.create(organization=house.organization, resident=resident, house=house, move_in=MARCH_1)


def test_the_database_refuses_two_current_occupants_of_one_bed(actor, resident_factory, free_bed):
    stay_admit(actor=actor, resident=resident_factory(), bed=free_bed, on=MARCH_1)
    other = Stay.objects.create(
        organization=free_bed.house.organization, resident=resident_factory(), house=free_bed.house, move_in=MARCH_1
    )
    with pytest.raises(IntegrityError):
        BedAssignment.objects.create(stay=other, bed=free_bed, start=MARCH_1)


def test_an_out_of_service_bed_cannot_be_assigned(actor, resident_factory, free_bed):
    take_out_of_service(free_bed, date(2026, 2, 1), reason="Broken frame")
    with pytest.raises(BedUnavailable, match="out of service"):
        stay_admit(actor=actor, resident=resident_factory(), bed=free_bed, on=MARCH_1)


def test_a_bed_back_in_service_by_the_date_can_be_assigned(actor, resident_factory, free_bed):
    take_out_of_service(free_bed, date(2026, 2, 1), MARCH_1, reason="Repainting")
    assert stay_admit(actor=actor, resident=resident_factory(), bed=free_bed, on=MARCH_1).is_open


def test_a_bed_of_another_organization_cannot_be_assigned(actor, resident_factory, foreign_house):
    with pytest.raises(DomainError, match="another organization"):
        stay_admit(actor=actor, resident=resident_factory(), bed=foreign_house.beds.first(), on=MARCH_1)


def test_transfer_closes_the_old_bed_and_opens_the_new_one(actor, resident_factory, house):
    old, new = list(Bed.objects.filter(house=house))[:2]
    stay = stay_admit(actor=actor, resident=resident_factory(), bed=old, on=MARCH_1)
    stay_transfer(actor=actor, stay=stay, bed=new, on=date(2026, 3, 15))
    history = list(stay.bed_assignments.order_by("start").values_list("bed_id", "start", "end"))
    assert history == [(old.pk, MARCH_1, date(2026, 3, 15)), (new.pk, date(2026, 3, 15), None)]


def test_transfer_to_another_house_moves_the_stay(actor, resident_factory, house, other_house):
    stay = stay_admit(actor=actor, resident=resident_factory(), bed=house.beds.first(), on=MARCH_1)
    stay_transfer(actor=actor, stay=stay, bed=other_house.beds.first(), on=date(2026, 3, 15))
    stay.refresh_from_db()
    assert stay.house == other_house


def test_transfer_into_an_occupied_bed_is_refused(actor, resident_factory, house):
    first, second = list(Bed.objects.filter(house=house))[:2]
    stay_admit(actor=actor, resident=resident_factory(), bed=first, on=MARCH_1)
    stay = stay_admit(actor=actor, resident=resident_factory(), bed=second, on=MARCH_1)
    with pytest.raises(BedUnavailable):
        stay_transfer(actor=actor, stay=stay, bed=first, on=date(2026, 3, 5))
    assert stay.current_assignment.bed == second


def test_transfer_cannot_be_dated_before_the_current_bed(actor, resident_factory, house):
    old, new = list(Bed.objects.filter(house=house))[:2]
    stay = stay_admit(actor=actor, resident=resident_factory(), bed=old, on=MARCH_1)
    with pytest.raises(DomainError, match="before the current bed"):
        stay_transfer(actor=actor, stay=stay, bed=new, on=date(2026, 2, 20))


def test_discharge_records_date_reason_and_frees_the_bed(actor, resident_factory, free_bed):
    stay = stay_admit(actor=actor, resident=resident_factory(), bed=free_bed, on=MARCH_1)
    stay_discharge(actor=actor, stay=stay, on=date(2026, 4, 2), reason="relapse", note="Positive test")
    stay.refresh_from_db()
    assert (stay.move_out, stay.discharge_reason, stay.discharged_by) == (date(2026, 4, 2), "relapse", actor.user)
    assert stay.bed_assignments.get().end == date(2026, 4, 2)


def test_discharge_before_move_in_is_refused_and_changes_nothing(actor, resident_factory, free_bed):
    stay = stay_admit(actor=actor, resident=resident_factory(), bed=free_bed, on=MARCH_1)
    with pytest.raises(DomainError, match="before move-in"):
        stay_discharge(actor=actor, stay=stay, on=date(2026, 2, 1), reason="voluntary")
    stay.refresh_from_db()
    assert stay.is_open


def test_a_stay_is_discharged_only_once(actor, resident_factory, free_bed):
    stay = stay_admit(actor=actor, resident=resident_factory(), bed=free_bed, on=MARCH_1)
    stay_discharge(actor=actor, stay=stay, on=date(2026, 3, 9), reason="voluntary")
    with pytest.raises(Conflict):
        stay_discharge(actor=actor, stay=stay, on=date(2026, 3, 10), reason="voluntary")


def test_readmission_later_is_a_new_stay_and_history_stays(actor, resident_factory, free_bed):
    resident = resident_factory()
    first = stay_admit(actor=actor, resident=resident, bed=free_bed, on=MARCH_1)
    stay_discharge(actor=actor, stay=first, on=date(2026, 3, 9), reason="relapse")
    second = stay_admit(actor=actor, resident=resident, bed=free_bed, on=date(2026, 5, 1))
    assert second.pk != first.pk
    assert resident.stays.count() == 2


def test_readmission_cannot_overlap_the_previous_stay(actor, resident_factory, free_bed, house):
    resident = resident_factory()
    first = stay_admit(actor=actor, resident=resident, bed=free_bed, on=MARCH_1)
    stay_discharge(actor=actor, stay=first, on=date(2026, 3, 20), reason="voluntary")
    other_bed = Bed.objects.filter(house=house).exclude(pk=free_bed.pk).first()
    with pytest.raises(DomainError, match="cannot start before"):
        stay_admit(actor=actor, resident=resident, bed=other_bed, on=date(2026, 3, 10))


def test_a_closed_house_takes_no_admissions(actor, resident_factory, organization):
    closed = HouseFactory(organization=organization, status="closed", beds=1)
    with pytest.raises(BedUnavailable, match="closed"):
        stay_admit(actor=actor, resident=resident_factory(), bed=closed.beds.first(), on=MARCH_1)


def test_nothing_about_a_resident_can_be_deleted(actor, resident_factory, free_bed):
    from django.db.models import ProtectedError

    resident = resident_factory()
    stay_admit(actor=actor, resident=resident, bed=free_bed, on=MARCH_1)
    with pytest.raises(ProtectedError):
        resident.delete()


def test_a_bed_with_history_cannot_be_deleted(api, operator, resident_factory, free_bed):
    stay_admit(actor=operator, resident=resident_factory(), bed=free_bed, on=MARCH_1)
    assert api(operator).delete(f"/api/v1/beds/{free_bed.pk}/").status_code == 409
    assert Bed.objects.filter(pk=free_bed.pk).exists()


def test_factories_make_beds_for_houses(house):
    assert BedFactory(room=house.rooms.first()).house == house
