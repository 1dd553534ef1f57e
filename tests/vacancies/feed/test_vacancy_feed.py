"""GET /api/public/v1/vacancies/: every published house, what it costs and its beds, for anyone."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houses.models import House
from tests.factories import HouseFactory, OrganizationFactory, admit

from .world import publish

FEED = "/api/public/v1/vacancies/"


def results(answer):
    assert answer.status_code == 200, answer.content
    return answer.json()["results"]


def by_house(answer):
    return {item["house"]["name"]: item for item in results(answer)}


def test_the_feed_answers_anyone_without_a_login(visitor, maple):
    assert visitor.get(FEED).status_code == 200


def test_each_published_house_shows_its_rent_deposit_fees_and_beds(visitor, maple):
    item = by_house(visitor.get(FEED))["Maple House"]
    assert item["organization"] == {"name": "Second Wind", "slug": "second-wind"}
    assert item["house"] == {"name": "Maple House", "slug": "maple-house"}
    assert item["url"].endswith("/v/second-wind/maple-house/")
    assert (item["city"], item["state"], item["gender"], item["accepts_moud"]) == ("Springfield", "IL", "men", True)
    assert item["rent"] == {"amount": "650.00", "period": "monthly"}
    assert item["deposit"] == "300.00"
    assert [(fee["name"], fee["amount"]) for fee in item["fees"]] == [
        ("Application fee", "25.00"),
        ("Key deposit", "20.00"),
    ]
    assert (item["beds_in_service"], item["open_now"]) == (4, 3)
    assert item["opening_soon"] == {"within_days": 14, "beds": 1, "dates": [{"date": "2026-03-16", "beds": 1}]}
    assert item["ages"] == {"min": 18, "max": None}
    assert item["updated"]


def test_a_house_not_published_is_absent(visitor, maple, hidden):
    assert set(by_house(visitor.get(FEED))) == {"Maple House"}


def test_a_closed_house_is_absent_even_if_its_listing_is_published(visitor, maple, house):
    House.objects.filter(pk=house.pk).update(status=House.Status.CLOSED, closed_on=date(2026, 3, 1))
    assert results(visitor.get(FEED)) == []


def test_the_street_address_is_absent_unless_the_operator_publishes_it(visitor, maple, house):
    House.objects.filter(pk=house.pk).update(address_line1="1418 Maple Avenue", postal_code="62704")
    assert by_house(visitor.get(FEED))["Maple House"]["street_address"] is None
    assert "1418 Maple" not in visitor.get(FEED).content.decode()


def test_the_street_address_shows_once_published(visitor, maple, house, operator):
    from vacancies.services.listings import listing_save

    House.objects.filter(pk=house.pk).update(address_line1="1418 Maple Avenue", postal_code="62704")
    listing_save(actor=operator, house=house, show_street_address=True)
    assert by_house(visitor.get(FEED))["Maple House"]["street_address"] == "1418 Maple Avenue"


def test_no_residents_name_or_contact_appears(visitor, maple, resident_stay):
    body = visitor.get(FEED).content.decode()
    resident = resident_stay.resident
    for private in (resident.legal_first_name, resident.legal_last_name, resident.email, resident.phone):
        assert private not in body


@pytest.mark.parametrize(
    ("query", "houses"),
    [
        ("organization=second-wind", {"Maple House", "Willow House"}),
        ("organization=elsewhere", set()),
        ("city=springfield", {"Maple House", "Willow House"}),
        ("city=Boulder", set()),
        ("gender=women", {"Willow House"}),
        ("gender=coed", set()),
        ("moud=true", {"Maple House"}),
        ("moud=false", {"Willow House"}),
        ("gender=men&moud=false", set()),
    ],
)
def test_the_filters_narrow_the_houses(visitor, maple, willow, query, houses):
    assert set(by_house(visitor.get(f"{FEED}?{query}"))) == houses


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("gender=female", "gender"),
        ("moud=maybe", "moud"),
        ("organization=not%20a%20slug", "organization"),
        ("page=0", "page"),
        ("per_page=1000", "per_page"),
        ("colour=blue", "colour"),
        ("gender=men&gender=women", "gender"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_parameter(visitor, maple, query, parameter):
    answer = visitor.get(f"{FEED}?{query}")
    assert answer.status_code == 400
    assert parameter in answer.json()["errors"]
    assert answer.json()["detail"]


def test_pages_split_the_houses(visitor, maple, willow):
    first = visitor.get(f"{FEED}?per_page=1").json()
    second = visitor.get(f"{FEED}?per_page=1&page=2").json()
    assert (first["count"], first["pages"]) == (2, 2)
    assert [first["results"][0]["house"]["name"], second["results"][0]["house"]["name"]] == [
        "Maple House",
        "Willow House",
    ]


def test_any_site_may_read_the_feed_from_a_browser(visitor, maple):
    assert visitor.get(FEED, HTTP_ORIGIN="https://directory.example").headers["Access-Control-Allow-Origin"] == "*"


def test_the_preflight_is_answered_for_any_site(visitor):
    answer = visitor.options(FEED, HTTP_ORIGIN="https://directory.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert answer.status_code == 204
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in answer.headers["Access-Control-Allow-Methods"]


def test_a_bad_filter_still_carries_the_cors_header(visitor):
    assert visitor.get(f"{FEED}?gender=x").headers["Access-Control-Allow-Origin"] == "*"


def test_the_feed_may_be_kept_a_minute_by_browsers_and_proxies(visitor, maple):
    assert visitor.get(FEED).headers["Cache-Control"] == "public, max-age=60"


def test_a_second_call_within_the_minute_runs_no_query(visitor, maple, django_assert_num_queries):
    first = visitor.get(FEED)
    with django_assert_num_queries(0):
        second = visitor.get(FEED)
    assert second.content == first.content


def test_a_different_filter_is_computed_on_its_own(visitor, maple, willow):
    visitor.get(FEED)
    assert set(by_house(visitor.get(f"{FEED}?gender=women"))) == {"Willow House"}


def _queries(client, url) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_feed_costs_the_same_queries_for_many_houses_and_organizations(visitor, maple, willow):
    few = _queries(visitor, FEED)
    for number in range(3):
        organization = OrganizationFactory(name=f"Operator {number}", slug=f"operator-x{number}")
        for name in ("Oak", "Pine"):
            house = HouseFactory(organization=organization, name=f"{name} House", beds=3)
            admit(house, on=date(2026, 2, 1))
            publish(house, fees=[("Application fee", "10")])
    many = _queries(visitor, FEED)
    assert len(results(visitor.get(FEED))) == 8
    assert many == few
    assert many <= 6


def test_the_body_is_json_with_money_as_exact_strings(visitor, maple):
    body = json.loads(visitor.get(FEED).content)
    assert isinstance(body["results"][0]["deposit"], str)


def test_the_rest_of_the_api_is_still_kept_out_of_caches(visitor, maple):
    assert "no-store" in visitor.get("/api/v1/houses/").headers["Cache-Control"]
