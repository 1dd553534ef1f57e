"""The bed board and what is done from its beds: admit (three ways), transfer and discharge."""

from datetime import date, timedelta

import pytest

from residents.core.services.stays import stay_admit
from residents.models import Application, Resident, Stay
from tests.factories import take_out_of_service

from .conftest import waiting_applicant


def _today(member):
    return member.organization.today()


@pytest.fixture
def free_bed(house):
    return house.beds.order_by("pk").last()


def test_the_board_shows_each_bed_as_occupied_free_or_out_of_service_in_words(page, manager, house, resident_member):
    bed = house.beds.order_by("pk")[1]
    take_out_of_service(bed, date(2026, 1, 1), reason="Broken frame")
    body = page(manager).get(f"/dashboard/houses/{house.pk}/beds/").content.decode()
    resident = resident_member.resident
    assert resident.display_name in body
    assert f"{(_today(manager) - date(2026, 1, 5)).days} days in the house" in body
    assert body.count("Occupied</span>") == 1
    assert body.count("Free</span>") == 2
    assert body.count("Out of service</span>") == 1
    assert "Broken frame" in body


def test_the_board_counts_tonight_and_links_the_waitlist(page, manager, house, operator, resident_member):
    waiting_applicant(operator, house=house)
    body = page(manager).get(f"/dashboard/houses/{house.pk}/beds/").content.decode()
    assert 'data-testid="occupied-count">1<' in body
    assert 'data-testid="free-count">3<' in body
    assert f'href="/dashboard/houses/{house.pk}/waitlist/">Waitlist for Maple House: 1' in body


def test_a_house_without_beds_says_what_to_do(page, operator, organization):
    from tests.factories import HouseFactory

    empty = HouseFactory(organization=organization, name="Empty House")
    body = page(operator).get(f"/dashboard/houses/{empty.pk}/beds/").content.decode()
    assert "has no beds yet" in body
    assert f"/dashboard/houses/{empty.pk}/rooms/" in body


def test_admitting_an_accepted_applicant_fills_the_bed_and_says_so(page, manager, operator, house, free_bed):
    application = waiting_applicant(operator, house=house)
    client = page(manager)
    response = client.submit(
        f"/dashboard/houses/{house.pk}/beds/{free_bed.pk}/admit/",
        {"applicant-application": application.pk, "applicant-on": _today(manager).isoformat()},
        button="Admit applicant",
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/dashboard/houses/{house.pk}/beds/"
    body = response.content.decode()
    assert "Dana Reyes admitted to" in body
    application.refresh_from_db()
    assert application.status == Application.Status.ADMITTED
    assert free_bed.assignments.get().stay.resident == application.resident


def test_a_waitlisted_applicant_not_yet_accepted_is_refused_beside_the_field(page, manager, operator, house, free_bed):
    application = waiting_applicant(operator, house=house, accepted=False)
    response = page(manager).submit(
        f"/dashboard/houses/{house.pk}/beds/{free_bed.pk}/admit/",
        {"applicant-application": application.pk, "applicant-on": _today(manager).isoformat()},
        button="Admit applicant",
    )
    assert response.status_code == 400
    form = response.context["forms"]["applicant"]
    assert form.errors["application"] == ["Only an accepted application can be admitted. Accept it first."]
    body = response.content.decode()
    assert 'id="id_applicant-application_error"' in body
    assert 'aria-invalid="true"' in body
    assert not Stay.objects.filter(resident__application=application).exists()
    assert not free_bed.assignments.exists()


def test_an_applicant_of_another_house_cannot_be_chosen(page, manager, operator, house, other_house, free_bed):
    elsewhere = waiting_applicant(operator, house=other_house)
    waiting_applicant(operator, house=house, first_name="Ann")  # so the page offers its waitlist form
    response = page(manager).submit(
        f"/dashboard/houses/{house.pk}/beds/{free_bed.pk}/admit/",
        {"applicant-application": elsewhere.pk, "applicant-on": _today(manager).isoformat()},
        button="Admit applicant",
    )
    assert response.status_code == 400
    assert "application" in response.context["forms"]["applicant"].errors
    assert not free_bed.assignments.exists()


def test_a_resident_on_record_can_be_admitted(page, manager, house, free_bed, resident_factory):
    person = resident_factory(legal_first_name="Ivy", legal_last_name="Stone")
    response = page(manager).submit(
        f"/dashboard/houses/{house.pk}/beds/{free_bed.pk}/admit/",
        {"resident-resident": person.pk, "resident-on": _today(manager).isoformat()},
        button="Admit resident",
        follow=True,
    )
    assert "Ivy Stone admitted to" in response.content.decode()
    assert person.stays.get().bed_assignments.get().bed == free_bed


def test_the_admit_page_offers_only_people_not_living_in_a_house(page, manager, house, free_bed, resident_member):
    response = page(manager).get(f"/dashboard/houses/{house.pk}/beds/{free_bed.pk}/admit/")
    offered = list(response.context["forms"]["resident"].fields["resident"].queryset)
    assert resident_member.resident not in offered


def test_someone_new_is_recorded_and_admitted_in_one_step(page, manager, house, free_bed):
    response = page(manager).submit(
        f"/dashboard/houses/{house.pk}/beds/{free_bed.pk}/admit/",
        {
            "new-legal_first_name": "Omar", "new-legal_last_name": "Bell", "new-phone": "555-0101",
            "new-on": _today(manager).isoformat(),
        },
        button="Add and admit",
        follow=True,
    )  # fmt: skip
    assert "Omar Bell admitted to" in response.content.decode()
    resident = Resident.objects.get(legal_last_name="Bell")
    assert resident.phone == "555-0101"
    assert resident.stays.get().bed_assignments.get().bed == free_bed


def test_a_new_person_without_a_last_name_is_asked_for_it_and_nothing_is_written(page, manager, house, free_bed):
    before = Resident.objects.count()
    response = page(manager).submit(
        f"/dashboard/houses/{house.pk}/beds/{free_bed.pk}/admit/",
        {"new-legal_first_name": "Omar", "new-legal_last_name": "", "new-phone": "555-0101", "new-on": "not a date"},
        button="Add and admit",
    )
    assert response.status_code == 400
    form = response.context["forms"]["new"]
    assert set(form.errors) == {"legal_last_name", "on"}
    body = response.content.decode()
    assert 'value="Omar"' in body  # what was typed stays
    assert Resident.objects.count() == before


def test_a_refused_admission_of_someone_new_leaves_no_resident_behind(page, manager, house, resident_factory):
    taken = house.beds.order_by("pk").last()
    stay_admit(actor=manager, resident=resident_factory(), bed=taken, on=_today(manager))
    before = Resident.objects.count()
    response = page(manager).submit(
        f"/dashboard/houses/{house.pk}/beds/{taken.pk}/admit/",
        {"new-legal_first_name": "Omar", "new-legal_last_name": "Bell", "new-on": _today(manager)},
        button="Add and admit",
    )
    assert response.status_code == 400
    assert "is occupied by" in response.content.decode()
    assert Resident.objects.count() == before


def test_transferring_moves_the_resident_and_says_so(page, manager, house, resident_member, free_bed):
    stay = resident_member.resident.stays.get()
    response = page(manager).submit(
        f"/dashboard/stays/{stay.pk}/transfer/", {"bed": free_bed.pk, "on": _today(manager).isoformat()}, follow=True
    )
    assert f"moves to Maple House, {free_bed.room.name} · {free_bed.label}" in response.content.decode()
    assert stay.bed_assignments.get(end__isnull=True).bed == free_bed


def test_the_transfer_form_offers_free_beds_of_the_managers_houses_only(
    page, manager, house, other_house, resident_member
):
    stay = resident_member.resident.stays.get()
    form = page(manager).get(f"/dashboard/stays/{stay.pk}/transfer/").context["form"]
    offered = {bed_id for _house, group in form.fields["bed"].choices[1:] for bed_id, _label in group}
    occupied = stay.bed_assignments.get().bed_id
    assert offered == set(house.beds.exclude(pk=occupied).values_list("pk", flat=True))


def test_a_transfer_to_a_bed_of_another_house_the_manager_does_not_run_is_refused(
    page, manager, other_house, resident_member
):
    stay = resident_member.resident.stays.get()
    bed = other_house.beds.first()
    response = page(manager).submit(f"/dashboard/stays/{stay.pk}/transfer/", {"bed": bed.pk, "on": _today(manager)})
    assert response.status_code == 400
    assert "bed" in response.context["form"].errors
    assert stay.bed_assignments.get(end__isnull=True).bed.house_id != other_house.pk


def test_a_transfer_dated_before_the_current_bed_shows_the_rule_beside_the_date(
    page, manager, resident_member, free_bed
):
    stay = resident_member.resident.stays.get()
    response = page(manager).submit(f"/dashboard/stays/{stay.pk}/transfer/", {"bed": free_bed.pk, "on": "2025-01-01"})
    assert response.status_code == 400
    assert response.context["form"].errors["on"] == [
        "A transfer cannot be dated before the current bed assignment began."
    ]
    assert not free_bed.assignments.exists()


def test_discharging_ends_the_stay_and_frees_the_bed(page, manager, house, resident_member):
    stay = resident_member.resident.stays.get()
    on = _today(manager)
    response = page(manager).submit(
        f"/dashboard/stays/{stay.pk}/discharge/", {"on": on.isoformat(), "reason": "completed", "note": "Well done"},
        follow=True,
    )  # fmt: skip
    assert "discharged from Maple House" in response.content.decode()
    stay.refresh_from_db()
    assert (stay.move_out, stay.discharge_reason, stay.discharge_note) == (on, "completed", "Well done")


def test_a_discharge_without_a_reason_is_asked_for_one_and_changes_nothing(page, manager, resident_member):
    stay = resident_member.resident.stays.get()
    response = page(manager).submit(
        f"/dashboard/stays/{stay.pk}/discharge/", {"on": "2026-03-01", "reason": "", "note": "x"}
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["reason"]
    assert 'id="id_reason_error"' in response.content.decode()
    stay.refresh_from_db()
    assert stay.is_open


def test_a_discharge_before_move_in_shows_the_rule_beside_the_date(page, manager, resident_member):
    stay = resident_member.resident.stays.get()
    response = page(manager).submit(f"/dashboard/stays/{stay.pk}/discharge/", {"on": "2025-12-01", "reason": "other"})
    assert response.status_code == 400
    assert response.context["form"].errors["on"] == ["Discharge cannot be before move-in."]
    stay.refresh_from_db()
    assert stay.is_open


def test_a_discharged_stay_has_no_transfer_or_discharge_page(page, manager, resident_member):
    stay = resident_member.resident.stays.get()
    page(manager).submit(f"/dashboard/stays/{stay.pk}/discharge/", {"on": "2026-03-01", "reason": "other"})
    assert page(manager).get(f"/dashboard/stays/{stay.pk}/discharge/").status_code == 404


def test_the_waitlist_page_lists_applicants_oldest_first(page, manager, operator, house):
    first = waiting_applicant(operator, house=house, first_name="Ann")
    second = waiting_applicant(operator, house=None, first_name="Ben", preferred_gender="men")
    body = page(manager).get(f"/dashboard/houses/{house.pk}/waitlist/").content.decode()
    assert body.index(f"/dashboard/applications/{first.pk}/") < body.index(f"/dashboard/applications/{second.pk}/")


def test_an_empty_waitlist_says_what_to_do(page, manager, house):
    body = page(manager).get(f"/dashboard/houses/{house.pk}/waitlist/").content.decode()
    assert "Nobody is waiting for Maple House" in body
    assert "/dashboard/applications/new/" in body


def test_a_booked_free_bed_says_from_when(page, manager, house, resident_factory):
    bed = house.beds.order_by("pk").last()
    stay_admit(actor=manager, resident=resident_factory(), bed=bed, on=_today(manager) + timedelta(days=5))
    body = page(manager).get(f"/dashboard/houses/{house.pk}/beds/").content.decode()
    assert "Booked from" in body
