"""GET /api/public/v1/hsds/services/: the published houses as HSDS 3 services, validated against the schema files
in tests/vacancies/fixtures/hsds/ (their $refs resolved among themselves)."""

import json

import pytest

from houses.models import House

from .hsds_schema import CAPACITY, PAGE, SERVICE, errors

FEED = "/api/public/v1/hsds/services/"


def page(client, query=""):
    answer = client.get(FEED + query)
    assert answer.status_code == 200, answer.content
    return answer.json()


def services(client, query=""):
    return {service["name"]: service for service in page(client, query)["contents"]}


def test_the_schema_files_catch_a_service_missing_its_status():
    assert errors(SERVICE, {"id": "00000000-0000-4000-8000-000000000001", "name": "x"})


def test_the_page_of_services_validates_against_the_hsds_schema_files(visitor, maple, willow):
    body = page(visitor)
    assert errors(PAGE, body) == []
    assert (body["total_items"], body["size"], body["first_page"], body["last_page"]) == (2, 2, True, True)


def test_every_service_validates_with_its_capacities(visitor, maple, willow, house):
    House.objects.filter(pk=house.pk).update(address_line1="1418 Maple Avenue", postal_code="62704")
    for service in page(visitor)["contents"]:
        assert errors(SERVICE, service) == []
        for capacity in service["capacities"]:
            assert errors(CAPACITY, capacity) == []


def test_a_published_street_address_validates_as_a_whole_address(visitor, maple, house, operator):
    from vacancies.services.listings import listing_save

    House.objects.filter(pk=house.pk).update(address_line1="1418 Maple Avenue", postal_code="62704")
    listing_save(actor=operator, house=house, show_street_address=True)
    service = services(visitor)["Maple House"]
    assert errors(SERVICE, service) == []
    address = service["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["address_1"], address["city"], address["state_province"]) == (
        "1418 Maple Avenue",
        "Springfield",
        "IL",
    )


def test_an_empty_page_still_validates(visitor, db):
    body = page(visitor)
    assert errors(PAGE, body) == []
    assert body["empty"] is True


def test_the_capacity_counts_beds_open_now_of_those_in_service(visitor, maple):
    capacity = services(visitor)["Maple House"]["capacities"][0]
    assert capacity["unit"]["name"] == "bed"
    assert (capacity["available"], capacity["maximum"]) == (3, 4)
    assert "2026-03-16" in capacity["description"]


def test_the_cost_options_hold_rent_deposit_and_every_fee(visitor, maple):
    options = services(visitor)["Maple House"]["cost_options"]
    assert [(option["option"], option["amount"], option["currency"]) for option in options] == [
        ("Rent", 650, "USD"),
        ("Deposit", 300, "USD"),
        ("Application fee", 25, "USD"),
        ("Key deposit", 20, "USD"),
    ]
    assert all(option["amount_description"] for option in options)


def test_the_location_names_the_city_but_no_street_unless_published(visitor, maple, house):
    House.objects.filter(pk=house.pk).update(address_line1="1418 Maple Avenue", postal_code="62704")
    location = services(visitor)["Maple House"]["service_at_locations"][0]["location"]
    assert "Springfield, IL" in location["description"]
    assert "addresses" not in location
    assert "1418" not in json.dumps(page(visitor))


def test_ids_stay_the_same_from_one_answer_to_the_next(visitor, maple):
    from django.core.cache import cache

    first = services(visitor)["Maple House"]
    cache.clear()
    again = services(visitor)["Maple House"]
    assert first["id"] == again["id"]
    assert first["organization"]["id"] == again["organization_id"] == first["organization_id"]
    assert [option["id"] for option in first["cost_options"]] == [option["id"] for option in again["cost_options"]]


def test_the_same_filters_apply(visitor, maple, willow):
    assert set(services(visitor, "?gender=women")) == {"Willow House"}
    assert visitor.get(FEED + "?moud=sometimes").status_code == 400


def test_pages_follow_per_page(visitor, maple, willow):
    body = page(visitor, "?per_page=1&page=2")
    assert errors(PAGE, body) == []
    assert (body["total_pages"], body["page_number"], body["size"], body["first_page"], body["last_page"]) == (
        2,
        2,
        1,
        False,
        True,
    )


def test_cors_and_caching_match_the_vacancy_feed(visitor, maple, django_assert_num_queries):
    first = visitor.get(FEED)
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert first.headers["Cache-Control"] == "public, max-age=60"
    with django_assert_num_queries(0):
        visitor.get(FEED)
    assert visitor.options(FEED).headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.usefixtures("maple")
def test_no_residents_name_appears(visitor, resident_stay):
    body = visitor.get(FEED).content.decode()
    assert resident_stay.resident.legal_last_name not in body
