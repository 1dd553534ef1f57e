from datetime import date

import pytest

from residents.core.services.stays import stay_admit
from residents.models import Application, Resident, Stay
from tests.factories import MembershipFactory, ResidentFactory, take_out_of_service


@pytest.fixture
def housed(operator, house, resident_factory):
    """A current resident of ``house`` (no portal login)."""
    resident = resident_factory(legal_first_name="Dana", legal_last_name="Reyes", phone="(555) 222-0101")
    stay_admit(actor=operator, resident=resident, bed=house.beds.last(), on=date(2026, 2, 1))
    return resident


@pytest.fixture
def housed_elsewhere(operator, other_house, resident_factory):
    resident = resident_factory(legal_first_name="Kim", legal_last_name="Owens")
    stay_admit(actor=operator, resident=resident, bed=other_house.beds.first(), on=date(2026, 2, 1))
    return resident


def test_staff_search_residents_by_name_phone_and_email(api, manager, housed):
    client = api(manager)
    for term in ["reyes", "222-0101", housed.email]:
        names = [row["display_name"] for row in client.get(f"/api/v1/residents/?search={term}").json()["results"]]
        assert names == ["Dana Reyes"], term


def test_a_resident_record_shows_the_current_house_and_bed(api, manager, housed, house):
    body = api(manager).get(f"/api/v1/residents/{housed.pk}/").json()
    assert body["current_stay"]["house"] == house.pk
    assert body["current_stay"]["bed_label"].startswith("Room 1")


def test_a_manager_does_not_see_residents_of_houses_they_do_not_run(api, manager, housed_elsewhere):
    assert api(manager).get(f"/api/v1/residents/{housed_elsewhere.pk}/").status_code == 404


def test_residents_filter_by_current_house_and_status(api, operator, housed, housed_elsewhere, house):
    client = api(operator)
    rows = client.get(f"/api/v1/residents/?house={house.pk}").json()["results"]
    assert {row["id"] for row in rows} >= {housed.pk}
    assert housed_elsewhere.pk not in {row["id"] for row in rows}
    never = ResidentFactory(organization=house.organization)
    assert [row["id"] for row in client.get("/api/v1/residents/?status=never").json()["results"]] == [never.pk]


def test_a_resident_sees_only_their_own_record(api, resident_member, housed):
    client = api(resident_member)
    rows = client.get("/api/v1/residents/").json()["results"]
    assert [row["id"] for row in rows] == [resident_member.resident.pk]
    assert client.get(f"/api/v1/residents/{housed.pk}/").status_code == 404


def test_a_resident_cannot_edit_their_record(api, resident_member):
    response = api(resident_member).patch(f"/api/v1/residents/{resident_member.resident.pk}/", {"phone": "1"})
    assert response.status_code == 403


def test_a_third_party_payer_must_be_named(api, operator):
    body = {"legal_first_name": "Sam", "legal_last_name": "Ng", "payer": "agency"}
    response = api(operator).post("/api/v1/residents/", body, format="json")
    assert response.status_code == 400
    assert "payer_name" in response.json()
    assert not Resident.objects.filter(legal_last_name="Ng").exists()


def test_residents_are_never_deleted_through_the_api(api, operator, housed):
    assert api(operator).delete(f"/api/v1/residents/{housed.pk}/").status_code == 405


def test_staff_invite_a_resident_to_the_portal(api, manager, housed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(manager).post(f"/api/v1/residents/{housed.pk}/portal-login/", {"email": "dana@example.net"})
    assert response.status_code == 200
    assert response.json()["has_portal_login"] is False
    assert response.json()["portal_login_status"] == "invited"
    housed.refresh_from_db()
    assert housed.membership.role == "resident"


def test_a_manager_is_not_told_that_an_address_belongs_to_a_member_elsewhere(api, manager, housed, other_house):
    elsewhere = MembershipFactory(organization=manager.organization, role="resident")
    response = api(manager).post(f"/api/v1/residents/{housed.pk}/portal-login/", {"email": elsewhere.user.email})
    assert response.status_code == 409
    assert "member" not in response.json()["email"][0]
    assert elsewhere.user.full_name not in response.content.decode()


def test_admitting_through_the_api_returns_the_stay(api, manager, house, resident_factory):
    resident = resident_factory()
    bed = house.beds.last()
    response = api(manager).post(
        "/api/v1/stays/admit/", {"resident": resident.pk, "bed": bed.pk, "on": "2026-03-01"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["bed_assignments"][0]["bed"] == bed.pk


def test_admitting_into_an_occupied_bed_is_a_409_naming_the_bed(api, manager, housed, resident_factory):
    bed = housed.stays.get().current_assignment.bed
    response = api(manager).post(
        "/api/v1/stays/admit/", {"resident": resident_factory().pk, "bed": bed.pk, "on": "2026-03-01"}, format="json"
    )
    assert response.status_code == 409
    assert "occupied" in response.json()["bed"][0]
    assert Stay.objects.count() == 1


def test_admitting_into_an_out_of_service_bed_is_refused(api, manager, house, resident_factory):
    bed = house.beds.last()
    take_out_of_service(bed, date(2026, 1, 1), reason="Mold")
    response = api(manager).post(
        "/api/v1/stays/admit/", {"resident": resident_factory().pk, "bed": bed.pk, "on": "2026-03-01"}, format="json"
    )
    assert response.status_code == 409
    assert "out of service" in response.json()["bed"][0]
    assert not Stay.objects.filter(house=house).exists()


def test_a_second_open_stay_is_a_409(api, manager, housed, house):
    free = house.beds.first()
    response = api(manager).post(
        "/api/v1/stays/admit/", {"resident": housed.pk, "bed": free.pk, "on": "2026-03-01"}, format="json"
    )
    assert response.status_code == 409
    assert "resident" in response.json()


def test_admitting_into_a_house_the_manager_does_not_run_is_a_400(api, manager, other_house, resident_factory):
    response = api(manager).post(
        "/api/v1/stays/admit/",
        {"resident": resident_factory().pk, "bed": other_house.beds.first().pk, "on": "2026-03-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "bed" in response.json()


def test_an_admission_with_a_bad_date_names_the_field(api, manager, house, resident_factory):
    response = api(manager).post(
        "/api/v1/stays/admit/", {"resident": resident_factory().pk, "bed": house.beds.last().pk, "on": "soon"}
    )
    assert response.status_code == 400
    assert "on" in response.json()


def test_discharge_before_move_in_is_a_400_and_writes_nothing(api, manager, housed):
    stay = housed.stays.get()
    response = api(manager).post(f"/api/v1/stays/{stay.pk}/discharge/", {"on": "2026-01-01", "reason": "voluntary"})
    assert response.status_code == 400
    assert "on" in response.json()
    stay.refresh_from_db()
    assert stay.is_open


def test_discharge_needs_a_known_reason(api, manager, housed):
    stay = housed.stays.get()
    response = api(manager).post(f"/api/v1/stays/{stay.pk}/discharge/", {"on": "2026-03-01", "reason": "bored"})
    assert response.status_code == 400
    assert "reason" in response.json()


def test_transfer_through_the_api_moves_the_bed(api, manager, housed, house):
    stay = housed.stays.get()
    target = house.beds.first()
    response = api(manager).post(f"/api/v1/stays/{stay.pk}/transfer/", {"bed": target.pk, "on": "2026-03-01"})
    assert response.status_code == 200
    assert response.json()["bed_assignments"][-1]["bed"] == target.pk


def test_a_resident_sees_only_their_own_stays(api, resident_member, housed):
    client = api(resident_member)
    rows = client.get("/api/v1/stays/").json()["results"]
    assert {row["resident"] for row in rows} == {resident_member.resident.pk}
    assert client.get(f"/api/v1/stays/{housed.stays.get().pk}/").status_code == 404


def test_a_resident_cannot_admit_or_discharge(api, resident_member, housed):
    client = api(resident_member)
    own = resident_member.resident.stays.get()
    assert (
        client.post(f"/api/v1/stays/{own.pk}/discharge/", {"on": "2026-03-01", "reason": "voluntary"}).status_code
        == 403
    )
    assert client.post("/api/v1/stays/admit/", {}).status_code == 403


def test_applications_are_staff_only(api, resident_member):
    assert api(resident_member).get("/api/v1/applications/").status_code == 403


def test_the_stay_list_filters_open_stays(api, operator, housed):
    stay = housed.stays.get()
    open_ids = {row["id"] for row in api(operator).get("/api/v1/stays/?open=true").json()["results"]}
    assert stay.pk in open_ids


def test_an_unknown_application_house_is_a_400(api, manager, foreign_house):
    body = {
        "first_name": "A",
        "last_name": "B",
        "phone": "1",
        "applied_on": "2026-03-01",
        "preferred_house": foreign_house.pk,
    }
    response = api(manager).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400
    assert "preferred_house" in response.json()
    assert not Application.objects.exists()
