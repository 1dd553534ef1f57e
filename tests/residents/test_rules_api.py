"""House rules through the API: publishing, reading the current rules, signing, and who has not signed."""

from datetime import date

import pytest
from django.utils import timezone

from residents.models import HouseRule, HouseRuleVersion, RuleAcknowledgement, RuleSet
from tests.factories import admit

from .rules_factories import current_set, publish_defaults, resident_with_login, sign


@pytest.fixture
def rules(operator, house, other_house):
    return publish_defaults(operator)


def _sign(api, membership, rule_set, signature, **extra):
    body = {"rule_set": rule_set.pk, "signature": signature}
    return api(membership).post("/api/v1/rule-acknowledgements/", body, format="json", **extra)


# Reading


def test_a_resident_reads_the_current_rules_of_their_house(api, rules, house, resident_member):
    body = api(resident_member).get(f"/api/v1/houses/{house.pk}/rule-set/").json()
    assert body["version"] == 1
    assert body["house_name"] == "Maple House"
    assert body["signed_at"] is None
    assert {rule["category"] for rule in body["rules"]} == {"substances", "curfew", "chores"}
    assert all(rule["text"] and rule["consequence"] for rule in body["rules"])


def test_the_current_rules_show_when_the_resident_signed_them(api, rules, house, resident_member):
    acknowledgement = sign(resident_member.resident, house)
    body = api(resident_member).get(f"/api/v1/houses/{house.pk}/rule-set/").json()
    # Shown on the house's clock, with its offset, whether the request came with a token or a session.
    assert body["signed_at"] == timezone.localtime(acknowledgement.signed_at, house.organization.tzinfo).isoformat()


def test_a_house_without_published_rules_says_so(api, operator, house):
    response = api(operator).get(f"/api/v1/houses/{house.pk}/rule-set/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No rules have been published for Maple House yet."}


def test_a_rule_shows_its_whole_history(api, operator, rules):
    api(operator).patch(f"/api/v1/house-rules/{rules[0].pk}/", {"text": "Sober, always."}, format="json")
    body = api(operator).get(f"/api/v1/house-rules/{rules[0].pk}/").json()
    assert body["version"] == 2
    assert body["text"] == "Sober, always."
    assert [(v["version"], v["text"]) for v in body["versions"]] == [
        (1, "No alcohol or drugs on the property or in your body."),
        (2, "Sober, always."),
    ]


# Writing


def test_editing_a_rule_through_the_api_publishes_a_new_version(api, operator, house, rules):
    response = api(operator).patch(
        f"/api/v1/house-rules/{rules[1].pk}/", {"consequence": "No passes for two weeks.", "note": "Firmer curfew"}
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert current_set(house).number == 2
    assert current_set(house).note == "Firmer curfew"
    assert HouseRuleVersion.objects.filter(rule=rules[1]).count() == 2


def test_a_manager_overrides_a_default_for_their_house(api, manager, house, other_house, rules):
    body = {"house": house.pk, "overrides": rules[1].pk, "category": "curfew", "text": "Inside by 11 pm.",
            "consequence": "A warning, then loss of passes."}  # fmt: skip
    response = api(manager).post("/api/v1/house-rules/", body, format="json")
    assert response.status_code == 201
    assert response.json()["overrides"] == rules[1].pk
    texts = {rule["text"] for rule in api(manager).get(f"/api/v1/houses/{house.pk}/rule-set/").json()["rules"]}
    assert "Inside by 11 pm." in texts
    assert rules[1].current_version.text not in texts
    assert current_set(other_house).number == 1


def test_deleting_a_rule_retires_it(api, operator, house, rules):
    assert api(operator).delete(f"/api/v1/house-rules/{rules[2].pk}/").status_code == 204
    rules[2].refresh_from_db()
    assert rules[2].retired_at is not None
    assert len(current_set(house).rules.all()) == 2
    assert api(operator).get("/api/v1/house-rules/?is_active=false").json()["count"] == 1


def test_retiring_a_retired_rule_is_a_409(api, operator, rules):
    api(operator).delete(f"/api/v1/house-rules/{rules[2].pk}/")
    response = api(operator).delete(f"/api/v1/house-rules/{rules[2].pk}/")
    assert response.status_code == 409
    assert "rule" in response.json()


def test_publishing_several_changes_at_once_makes_one_version(api, operator, house, rules):
    body = {
        "note": "Spring revision",
        "changes": [
            {"rule": rules[0].pk, "text": "Sober, always."},
            {"rule": rules[2].pk, "retire": True},
            {"category": "fees", "text": "Rent is due every Friday.", "consequence": "A $10 late fee."},
        ],
    }
    response = api(operator).post("/api/v1/rule-sets/publish/", body, format="json")
    assert response.status_code == 201
    published = response.json()["rule_sets"]
    assert {(row["house_name"], row["version"]) for row in published} == {("Maple House", 2), ("Willow House", 2)}
    assert len(response.json()["rules"]) == 3
    assert current_set(house).number == 2


def test_publishing_a_new_house_gives_it_its_first_rules(api, operator, house, rules):
    from tests.factories import HouseFactory

    cedar = HouseFactory(organization=house.organization, name="Cedar House")
    response = api(operator).post("/api/v1/rule-sets/publish/", {"houses": [cedar.pk]}, format="json")
    assert response.status_code == 201
    assert [row["house_name"] for row in response.json()["rule_sets"]] == ["Cedar House"]


# Signing


def test_a_resident_signs_from_the_portal_and_their_address_is_kept(api, rules, house, resident_member):
    resident = resident_member.resident
    response = _sign(api, resident_member, current_set(house), resident.legal_name.upper(), REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 201
    assert response.json()["version"] == 1
    acknowledgement = RuleAcknowledgement.objects.get()
    assert acknowledgement.ip_address == "198.51.100.7"
    assert acknowledgement.signed_by == resident_member.user
    assert acknowledgement.resident == resident


def test_signing_the_same_version_again_answers_200_with_the_first_signature(api, rules, house, resident_member):
    first = _sign(api, resident_member, current_set(house), resident_member.resident.legal_name).json()
    again = _sign(api, resident_member, current_set(house), resident_member.resident.legal_name)
    assert again.status_code == 200
    assert again.json() == first
    assert RuleAcknowledgement.objects.count() == 1


def test_signing_a_replaced_version_is_a_409_naming_the_rule_set(api, operator, rules, house, resident_member):
    old = current_set(house)
    api(operator).patch(f"/api/v1/house-rules/{rules[0].pk}/", {"text": "Sober, always."}, format="json")
    response = _sign(api, resident_member, old, resident_member.resident.legal_name)
    assert response.status_code == 409
    assert "replaced by version 2" in response.json()["rule_set"][0]
    assert not RuleAcknowledgement.objects.exists()


def test_a_signature_that_is_not_the_legal_name_is_a_400_naming_signature(api, rules, house, resident_member):
    response = _sign(api, resident_member, current_set(house), "Someone Else")
    assert response.status_code == 400
    assert "full legal name" in response.json()["signature"][0]
    assert not RuleAcknowledgement.objects.exists()


def test_a_resident_signs_only_for_themselves(api, rules, house, resident_member, operator):
    neighbour = admit(house, on=date(2026, 1, 10), actor=operator).resident
    body = {"rule_set": current_set(house).pk, "signature": neighbour.legal_name, "resident": neighbour.pk}
    response = api(resident_member).post("/api/v1/rule-acknowledgements/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"resident": ["Unknown field."]}
    assert not RuleAcknowledgement.objects.exists()


def test_the_unsigned_list_changes_after_signing(api, manager, rules, house, resident_member, operator):
    neighbour = admit(house, on=date(2026, 1, 10), actor=operator).resident
    url = f"/api/v1/houses/{house.pk}/rule-set/unsigned/"
    names = {row["legal_name"] for row in api(manager).get(url).json()["results"]}
    assert names == {resident_member.resident.legal_name, neighbour.legal_name}
    _sign(api, resident_member, current_set(house), resident_member.resident.legal_name)
    rows = api(manager).get(url).json()["results"]
    assert [row["id"] for row in rows] == [neighbour.pk]
    assert rows[0]["last_signed_version"] is None


def test_the_unsigned_list_filters_searches_and_orders(api, operator, rules, house, resident_factory):
    admit(
        house,
        on=date(2026, 1, 10),
        resident=resident_factory(legal_first_name="Zed", legal_last_name="Adams"),
        actor=operator,
    )
    signed_before = admit(
        house,
        on=date(2026, 1, 10),
        resident=resident_factory(legal_first_name="Amy", legal_last_name="Zimmer"),
        actor=operator,
    ).resident
    sign(signed_before, house)
    api(operator).patch(f"/api/v1/house-rules/{rules[0].pk}/", {"text": "Sober, always."}, format="json")
    url = f"/api/v1/houses/{house.pk}/rule-set/unsigned/"
    client = api(operator)
    assert [r["legal_name"] for r in client.get(url + "?ordering=-legal_last_name").json()["results"]] == [
        "Amy Zimmer",
        "Zed Adams",
    ]
    assert [r["legal_name"] for r in client.get(url + "?never_signed=true").json()["results"]] == ["Zed Adams"]
    assert [r["legal_name"] for r in client.get(url + "?search=zimm").json()["results"]] == ["Amy Zimmer"]


def test_rule_lists_filter_by_category_and_scope(api, operator, manager, house, rules):
    api(manager).post(
        "/api/v1/house-rules/",
        {"house": house.pk, "category": "guests", "text": "No guests upstairs.", "consequence": "A warning."},
        format="json",
    )
    client = api(operator)
    assert client.get("/api/v1/house-rules/?category=curfew").json()["count"] == 1
    assert client.get("/api/v1/house-rules/?organization_wide=false").json()["count"] == 1
    assert client.get(f"/api/v1/house-rules/?house={house.pk}").json()["count"] == 1
    assert client.get("/api/v1/house-rules/?search=guests upstairs").json()["count"] == 1
    categories = [row["category"] for row in client.get("/api/v1/house-rules/?ordering=category").json()["results"]]
    assert categories == sorted(categories)


def test_rule_set_history_lists_every_version_of_a_house(api, operator, house, rules):
    api(operator).patch(f"/api/v1/house-rules/{rules[0].pk}/", {"text": "Sober, always."}, format="json")
    rows = api(operator).get(f"/api/v1/rule-sets/?house={house.pk}&ordering=number").json()["results"]
    assert [(row["version"], row["is_current"]) for row in rows] == [(1, False), (2, True)]
    current = api(operator).get(f"/api/v1/rule-sets/?house={house.pk}&is_current=true").json()["results"]
    assert [row["version"] for row in current] == [2]


def test_a_resident_sees_only_their_own_signatures(api, operator, rules, house, resident_member):
    sign(resident_member.resident, house)
    other = resident_with_login(operator, house)
    sign(other, house)
    mine = api(resident_member).get("/api/v1/rule-acknowledgements/").json()["results"]
    assert [row["resident"] for row in mine] == [resident_member.resident.pk]
    theirs = RuleAcknowledgement.objects.get(resident=other)
    assert api(resident_member).get(f"/api/v1/rule-acknowledgements/{theirs.pk}/").status_code == 404


# Bad input: a 4xx naming the field, and nothing written


@pytest.fixture
def counts():
    def snapshot():
        return (HouseRule.objects.count(), HouseRuleVersion.objects.count(), RuleSet.objects.count())

    return snapshot


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "pets", "text": "No pets.", "consequence": "A warning."}, "category"),
        ({"category": "other", "text": "", "consequence": "A warning."}, "text"),
        ({"category": "other", "text": "   ", "consequence": "A warning."}, "text"),
        ({"category": "other", "text": "No pets."}, "consequence"),
        ({"category": "other", "text": "No pets.", "consequence": "Warning.", "house": 999999}, "house"),
        ({"category": "other", "text": "No pets.", "consequence": "Warning.", "colour": "red"}, "colour"),
        ({"category": "other", "text": "No pets.", "consequence": "Warning.", "overrides": "x"}, "overrides"),
    ],
)
def test_bad_rule_input_is_a_400_naming_the_field(api, operator, rules, counts, body, field):
    before = counts()
    response = api(operator).post("/api/v1/house-rules/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert counts() == before


def test_overriding_with_a_rule_that_is_not_a_default_is_named(api, operator, manager, house, rules, counts):
    own = (
        api(manager)
        .post("/api/v1/house-rules/", {"house": house.pk, "category": "other", "text": "A", "consequence": "B"})
        .json()
    )
    before = counts()
    body = {"house": house.pk, "overrides": own["id"], "category": "other", "text": "C", "consequence": "D"}
    response = api(manager).post("/api/v1/house-rules/", body, format="json")
    assert response.status_code == 400
    assert "overrides" in response.json()
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "pets"}, "category"),
        ({"text": ""}, "text"),
        ({"house": 1}, "house"),
        ({"text": "No alcohol or drugs on the property or in your body."}, "text"),
    ],
)
def test_a_bad_revision_is_a_400_naming_the_field(api, operator, rules, counts, body, field):
    before = counts()
    response = api(operator).patch(f"/api/v1/house-rules/{rules[0].pk}/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert counts() == before


def test_a_bad_change_in_a_batch_is_named_by_its_position(api, operator, rules, counts):
    before = counts()
    body = {"changes": [{"rule": rules[0].pk, "text": "Sober."}, {"rule": rules[1].pk, "category": "pets"}]}
    response = api(operator).post("/api/v1/rule-sets/publish/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"changes": {"1": {"category": ['"pets" is not a valid choice.']}}}
    body = {"changes": [{"rule": rules[0].pk, "text": "Sober."}, {"category": "fees", "text": "Pay rent."}]}
    response = api(operator).post("/api/v1/rule-sets/publish/", body, format="json")
    assert response.status_code == 400
    assert "changes[1].consequence" in response.json()
    assert counts() == before


def test_an_empty_publication_is_refused(api, operator, rules, counts):
    before = counts()
    response = api(operator).post("/api/v1/rule-sets/publish/", {}, format="json")
    assert response.status_code == 400
    assert "changes" in response.json()
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"signature": "x"}, "rule_set"),
        ({"rule_set": "abc", "signature": "x"}, "rule_set"),
        ({"rule_set": 999999, "signature": "x"}, "rule_set"),
        ({"rule_set": "{current}"}, "signature"),
        ({"rule_set": "{current}", "signature": ""}, "signature"),
        ({"rule_set": "{current}", "signature": "Nobody Atall"}, "signature"),
    ],
)
def test_a_bad_signature_is_a_400_naming_the_field(api, rules, house, resident_member, body, field):
    body = {key: current_set(house).pk if value == "{current}" else value for key, value in body.items()}
    response = api(resident_member).post("/api/v1/rule-acknowledgements/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not RuleAcknowledgement.objects.exists()


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/v1/house-rules/", "category=pets", "category"),
        ("/api/v1/house-rules/", "ordering=text", "ordering"),
        ("/api/v1/house-rules/", "colour=red", "colour"),
        ("/api/v1/rule-sets/", "published_after=yesterday", "published_after"),
        ("/api/v1/rule-acknowledgements/", "signed_before=2026-02-30", "signed_before"),
        ("/api/v1/houses/{house}/rule-set/unsigned/", "never_signed=maybe", "never_signed"),
        ("/api/v1/house-rules/", "is_active=perhaps", "is_active"),
        ("/api/v1/houses/{house}/rule-set/unsigned/", "ordering=password", "ordering"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(api, operator, house, rules, path, query, field):
    response = api(operator).get(path.format(house=house.pk) + "?" + query)
    assert response.status_code == 400
    assert field in response.json()


def test_date_filters_use_the_organizations_days(api, operator, house, rules):
    today = operator.organization.today().isoformat()
    client = api(operator)
    assert client.get(f"/api/v1/rule-sets/?published_after={today}&published_before={today}").json()["count"] == 2
    assert client.get("/api/v1/rule-sets/?published_before=2020-01-01").json()["count"] == 0


def test_a_resident_signs_with_their_portal_token(rules, house, resident_member):
    from rest_framework.test import APIClient

    from tests.factories import PASSWORD

    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"email": resident_member.user.email, "password": PASSWORD}, format="json"
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    current = client.get(f"/api/v1/houses/{house.pk}/rule-set/").json()
    body = {"rule_set": current["id"], "signature": resident_member.resident.legal_name}
    response = client.post("/api/v1/rule-acknowledgements/", body, format="json", REMOTE_ADDR="192.0.2.44")
    assert response.status_code == 201
    assert response.json()["ip_address"] == "192.0.2.44"
    assert client.get(f"/api/v1/houses/{house.pk}/rule-set/").json()["signed_at"] is not None
