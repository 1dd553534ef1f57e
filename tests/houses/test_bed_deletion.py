"""A bed that has served a night is retired, never deleted, so past months keep its bed-nights; a bed that has not
served one yet (in service from tonight or later) may still be deleted (issue 12, requirement 1)."""

from datetime import date

import pytest

from accounts.models import User
from houses import services
from houses.models import Bed, BedOutage
from reports.metrics import Month, monthly_metrics
from residents.core.services.stays import stay_admit
from tests.clock import local_moment, module_clock
from tests.concurrency import at_once
from tests.forms import FormClient

_clock = module_clock(local_moment(2026, 4, 15))

TODAY = date(2026, 4, 15)


@pytest.fixture
def served(house):
    """In service since the house opened (Jan 1, 2024); nobody has ever slept in it."""
    return house.beds.order_by("pk").first()


def _new_bed(operator, house, on):
    return services.bed_create(actor=operator, room=house.rooms.first(), label="New", in_service_from=on)


def _delete(api, member, bed):
    return api(member).delete(f"/api/v1/beds/{bed.pk}/")


# API


def test_deleting_a_bed_that_has_served_nights_is_refused_saying_since_when(api, operator, served):
    response = _delete(api, operator, served)
    assert response.status_code == 409
    assert response.json() == {"detail": "This bed has been in service since Jan 1, 2024; retire it instead."}
    assert Bed.objects.filter(pk=served.pk).exists()


def test_a_bed_in_service_since_last_night_cannot_be_deleted(api, operator, house):
    bed = _new_bed(operator, house, date(2026, 4, 14))
    assert _delete(api, operator, bed).status_code == 409
    assert Bed.objects.filter(pk=bed.pk).exists()


def test_a_bed_in_service_from_tonight_can_be_deleted(api, operator, house):
    bed = _new_bed(operator, house, TODAY)
    assert _delete(api, operator, bed).status_code == 204
    assert not Bed.objects.filter(pk=bed.pk).exists()


def test_a_manager_deletes_a_bed_planned_for_later_with_its_outages(api, manager, operator, house):
    bed = _new_bed(operator, house, date(2026, 5, 1))
    services.bed_take_out_of_service(actor=operator, bed=bed, reason="Frame", start=date(2026, 5, 1), until=None)
    assert _delete(api, manager, bed).status_code == 204
    assert not BedOutage.objects.filter(bed_id=bed.pk).exists()


def test_a_bed_a_resident_is_booked_into_cannot_be_deleted_naming_them(api, operator, house, resident_factory):
    bed = _new_bed(operator, house, date(2026, 5, 1))
    resident = resident_factory(legal_first_name="Ruth", legal_last_name="Baker")
    stay_admit(actor=operator, resident=resident, bed=bed, on=date(2026, 5, 2))
    response = _delete(api, operator, bed)
    assert response.status_code == 409
    assert str(resident) in response.json()["detail"]
    assert Bed.objects.filter(pk=bed.pk).exists()


def test_a_refused_deletion_changes_no_past_month(api, operator, organization, served):
    months = [Month(2026, 3), Month(2026, 4)]
    before = [monthly_metrics(organization=organization, month=month) for month in months]
    _delete(api, operator, served)
    assert [monthly_metrics(organization=organization, month=month) for month in months] == before


def test_a_room_with_beds_cannot_be_deleted_so_its_beds_stay(api, operator, house, served):
    assert api(operator).delete(f"/api/v1/rooms/{served.room_id}/").status_code == 409
    assert Bed.objects.filter(pk=served.pk).exists()


# Admin (the only page that deletes beds)


@pytest.fixture
def admin_client(db):
    client = FormClient()
    client.force_login(User.objects.create_superuser(email="root@example.org", password="x", full_name="Root"))
    return client


def test_the_admin_refuses_to_delete_a_bed_that_has_served(admin_client, served):
    assert admin_client.get(f"/admin/houses/bed/{served.pk}/delete/").status_code == 403
    assert Bed.objects.filter(pk=served.pk).exists()


def test_the_admin_deletes_a_bed_that_has_not_served_yet(admin_client, operator, house):
    bed = _new_bed(operator, house, TODAY)
    admin_client.submit(f"/admin/houses/bed/{bed.pk}/delete/", form="main form", follow=True)
    assert not Bed.objects.filter(pk=bed.pk).exists()


def test_the_admin_offers_no_bulk_deletion_of_beds(admin_client, served):
    assert "delete_selected" not in admin_client.get("/admin/houses/bed/").content.decode()


def test_the_admin_room_page_deletes_no_bed(admin_client, served):
    body = admin_client.get(f"/admin/houses/room/{served.room_id}/change/").content.decode()
    assert 'name="beds-0-DELETE"' not in body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_deletions_of_one_bed_at_once_answer_204_and_404_never_a_server_error(api, operator, house):
    bed = _new_bed(operator, house, date(2026, 5, 1))
    client_a, client_b = api(operator), api(operator)
    statuses = at_once([lambda: client_a.delete(f"/api/v1/beds/{bed.pk}/").status_code,
                        lambda: client_b.delete(f"/api/v1/beds/{bed.pk}/").status_code])  # fmt: skip
    assert sorted(statuses) == [204, 404]
    assert not Bed.objects.filter(pk=bed.pk).exists()
