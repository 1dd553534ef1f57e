"""Answers the API gives that its schema once said it could not (found by the fuzz, .ci/fuzz): each answer and the
schema's word for it now agree."""

from accounts.models import Membership


def test_a_member_invited_without_a_name_is_listed_under_an_email_longer_than_a_typed_name(api, operator):
    email = "someone." + "a" * 170 + "@example.com"
    created = api(operator).post("/api/v1/memberships/", {"email": email, "role": "manager"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["full_name"] == email
    assert Membership.objects.get(user__email=email).invited_name == ""


def test_the_schema_bounds_a_members_name_only_where_it_is_typed(served_schema):
    shown = served_schema["components"]["schemas"]["Membership"]["properties"]["full_name"]
    assert "maxLength" not in shown


def test_a_name_typed_longer_than_150_characters_is_refused(api, operator):
    answer = api(operator).post(
        "/api/v1/memberships/", {"email": "named@example.com", "role": "manager", "full_name": "N" * 151}, format="json"
    )
    assert answer.status_code == 400
    assert "no more than 150 characters" in answer.json()["full_name"][0]
    assert not Membership.objects.filter(user__email="named@example.com").exists()


def test_a_staff_run_house_answers_with_no_charter_and_the_schema_allows_it(api, operator, house, served_schema):
    answer = api(operator).put(f"/api/v1/houses/{house.pk}/governance/", {"governance": "staff_run"}, format="json")
    assert answer.status_code == 200
    assert answer.json()["charter"] is None
    assert served_schema["components"]["schemas"]["PeerHouse"]["properties"]["charter"]["nullable"] is True


def test_a_charter_without_a_chapter_answers_no_chapter_name_and_the_schema_allows_it(api, operator, served_schema):
    from tests.factories import HouseFactory

    house = HouseFactory(organization=operator.organization, beds=2)
    answer = api(operator).put(f"/api/v1/houses/{house.pk}/governance/", {"governance": "peer_run"}, format="json")
    assert answer.json()["charter"]["chapter_name"] is None
    assert served_schema["components"]["schemas"]["Charter"]["properties"]["chapter_name"]["nullable"] is True
