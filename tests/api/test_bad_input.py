"""Bad input gets a 4xx JSON answer that names the field, and writes nothing."""

import pytest

from accounts.models import Membership
from houses.models import Bed, House, Room


@pytest.fixture
def client(api, operator, house):
    return api(operator)


def test_malformed_json_is_a_400_and_writes_nothing(client):
    response = client.generic("POST", "/api/v1/houses/", '{"name": "Oak', content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]
    assert House.objects.count() == 1


def test_a_missing_required_field_is_named(client):
    response = client.post("/api/v1/houses/", {"name": "Oak House"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"gender": ["This field is required."]}
    assert House.objects.count() == 1


def test_a_wrong_type_is_named(client, house):
    response = client.patch(f"/api/v1/houses/{house.pk}/", {"narr_level": "high"}, format="json")
    assert response.status_code == 400
    assert "narr_level" in response.json()


def test_an_out_of_range_choice_is_named(client, house):
    response = client.patch(f"/api/v1/houses/{house.pk}/", {"narr_level": 9}, format="json")
    assert response.status_code == 400
    assert "narr_level" in response.json()
    house.refresh_from_db()
    assert house.narr_level is None


def test_an_unknown_body_field_is_refused_not_ignored(client):
    response = client.post("/api/v1/houses/", {"name": "Oak", "gender": "men", "colour": "blue"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"colour": ["Unknown field."]}
    assert not House.objects.filter(name="Oak").exists()


def test_a_body_that_is_not_an_object_is_refused(client):
    response = client.post("/api/v1/houses/", ["Oak"], format="json")
    assert response.status_code == 400


def test_an_unknown_filter_is_a_400_naming_it(client):
    response = client.get("/api/v1/houses/?colour=blue")
    assert response.status_code == 400
    assert "colour" in response.json()


def test_a_filter_with_a_wrong_type_is_a_400(client):
    response = client.get("/api/v1/beds/?room=abc")
    assert response.status_code == 400
    assert "room" in response.json()


def test_a_filter_with_an_unknown_choice_is_a_400(client):
    response = client.get("/api/v1/beds/?status=broken")
    assert response.status_code == 400
    assert "status" in response.json()


def test_ordering_by_an_unknown_field_is_a_400(client):
    response = client.get("/api/v1/houses/?ordering=password")
    assert response.status_code == 400
    assert "ordering" in response.json()


@pytest.mark.parametrize("size", ["0", "201", "lots", "-1"])
def test_a_page_size_outside_1_to_200_is_a_400(client, size):
    response = client.get(f"/api/v1/houses/?page_size={size}")
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_a_page_past_the_end_is_a_404(client):
    assert client.get("/api/v1/houses/?page=99").status_code == 404


def test_a_null_character_in_a_query_is_a_400(client):
    response = client.get("/api/v1/houses/?search=a%00b")
    assert response.status_code == 400
    assert "search" in response.json()


def test_a_null_character_in_a_body_is_a_400(client):
    response = client.post("/api/v1/houses/", {"name": "Oak\x00", "gender": "men"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


@pytest.mark.parametrize("pk", ["99999999999999999999999", "0", "-3"])
def test_absurd_ids_are_not_found(client, pk):
    assert client.get(f"/api/v1/houses/{pk}/").status_code == 404


def test_a_duplicate_house_name_is_a_400_naming_name(client, house):
    response = client.post("/api/v1/houses/", {"name": house.name, "gender": "men"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json() or "non_field_errors" in response.json()


def test_a_duplicate_room_name_in_a_house_is_named(client, house):
    response = client.post("/api/v1/rooms/", {"house": house.pk, "name": "Room 1"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["This house already has a room with this name."]}
    assert Room.objects.filter(house=house).count() == 1


def test_an_out_of_service_bed_needs_a_reason_and_a_start(client, house):
    bed = Bed.objects.filter(house=house).first()
    response = client.patch(f"/api/v1/beds/{bed.pk}/", {"status": "out_of_service"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"out_of_service_reason", "out_of_service_from"}
    bed.refresh_from_db()
    assert bed.status == "available"


def test_an_out_of_service_bed_cannot_return_before_it_left(client, house):
    bed = Bed.objects.filter(house=house).first()
    body = {
        "status": "out_of_service", "out_of_service_reason": "Broken frame",
        "out_of_service_from": "2026-03-10", "out_of_service_until": "2026-03-01",
    }  # fmt: skip
    response = client.patch(f"/api/v1/beds/{bed.pk}/", body, format="json")
    assert response.status_code == 400
    assert "out_of_service_until" in response.json()


def test_a_bad_date_is_named(client, house):
    response = client.patch(f"/api/v1/houses/{house.pk}/", {"opened_on": "2026-02-30"}, format="json")
    assert response.status_code == 400
    assert "opened_on" in response.json()


def test_an_invalid_email_invitation_is_named(client):
    response = client.post("/api/v1/memberships/", {"email": "not-an-email", "role": "manager"}, format="json")
    assert response.status_code == 400
    assert "email" in response.json()
    assert Membership.objects.count() == 1


def test_assigning_houses_to_a_non_manager_is_refused(client, house):
    response = client.post(
        "/api/v1/memberships/", {"email": "op2@example.org", "role": "operator", "houses": [house.pk]}, format="json"
    )
    assert response.status_code == 400
    assert "houses" in response.json()
    assert Membership.objects.count() == 1


def test_an_operator_cannot_demote_themselves(client, operator):
    response = client.patch(f"/api/v1/memberships/{operator.pk}/", {"role": "manager"}, format="json")
    assert response.status_code == 400
    assert "role" in response.json()


def test_an_unknown_time_zone_is_named(client):
    response = client.patch("/api/v1/organization/", {"timezone": "Mars/Olympus"}, format="json")
    assert response.status_code == 400
    assert "timezone" in response.json()


def test_a_lowercase_currency_is_refused(client):
    response = client.patch("/api/v1/organization/", {"currency": "usd"}, format="json")
    assert response.status_code == 400
    assert "currency" in response.json()
