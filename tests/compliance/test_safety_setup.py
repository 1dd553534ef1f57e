"""Safety policies and equipment through the API: one policy per house, equipment with the facts each kind needs."""

from datetime import timedelta

from compliance.models import SafetyEquipment, SafetyPolicy


def test_a_house_gets_one_safety_policy(api, manager, house):
    client = api(manager)
    body = {"house": house.pk, "inspection_interval_days": 14, "has_gas_appliances": True}
    assert client.post("/api/v1/safety-policies/", body, format="json").status_code == 201
    again = client.post("/api/v1/safety-policies/", body, format="json")
    assert again.status_code == 409
    assert "house" in again.json()
    assert SafetyPolicy.objects.get(house=house).inspection_interval_days == 14


def test_a_policy_interval_out_of_range_is_named(api, manager, house):
    response = api(manager).post(
        "/api/v1/safety-policies/", {"house": house.pk, "drill_interval_days": 0}, format="json"
    )
    assert response.status_code == 400
    assert "drill_interval_days" in response.json()
    assert not SafetyPolicy.objects.exists()


def test_a_policy_is_changed_in_place(api, manager, house):
    client = api(manager)
    policy = client.post("/api/v1/safety-policies/", {"house": house.pk}, format="json").json()
    response = client.patch(f"/api/v1/safety-policies/{policy['id']}/", {"drill_interval_days": 60}, format="json")
    assert response.status_code == 200
    assert response.json()["drill_interval_days"] == 60


def test_a_naloxone_kit_needs_an_expiry_date(api, manager, house):
    response = api(manager).post(
        "/api/v1/safety-equipment/", {"house": house.pk, "kind": "naloxone_kit", "location": "Office"}, format="json"
    )
    assert response.status_code == 400
    assert "expires_on" in response.json()
    assert not SafetyEquipment.objects.exists()


def test_an_extinguisher_service_date_cannot_be_in_the_future(api, manager, house, today):
    body = {
        "house": house.pk, "kind": "fire_extinguisher", "location": "Kitchen",
        "last_serviced_on": (today + timedelta(days=3)).isoformat(),
    }  # fmt: skip
    response = api(manager).post("/api/v1/safety-equipment/", body, format="json")
    assert response.status_code == 400
    assert "last_serviced_on" in response.json()


def test_equipment_shows_when_it_is_next_due(api, manager, house, today):
    body = {"house": house.pk, "kind": "fire_extinguisher", "location": "Kitchen", "last_serviced_on": str(today)}
    response = api(manager).post("/api/v1/safety-equipment/", body, format="json")
    assert response.status_code == 201
    assert response.json()["due_on"] == str(today + timedelta(days=365))


def test_equipment_leaving_the_house_is_set_inactive(api, manager, house, today):
    client = api(manager)
    body = {"house": house.pk, "kind": "naloxone_kit", "location": "Office", "expires_on": str(today), "quantity": 2}
    item = client.post("/api/v1/safety-equipment/", body, format="json").json()
    response = client.patch(f"/api/v1/safety-equipment/{item['id']}/", {"is_active": False}, format="json")
    assert response.status_code == 200
    assert client.delete(f"/api/v1/safety-equipment/{item['id']}/").status_code == 405
    assert client.get("/api/v1/safety-equipment/?is_active=true").json()["count"] == 0
