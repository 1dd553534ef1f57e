"""The public vacancy pages, as a visitor who is not signed in sees them: only published houses of open houses,
rent and every fee, beds free now and opening soon, and nothing about any person."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models.terms import RentPeriod
from houses.models import House
from residents.core.services import stays as stay_services
from residents.models import Stay
from tests.factories import HouseFactory, admit, operator_of
from vacancies.models import ListingFee
from vacancies.selectors import vacancies

from .conftest import TODAY, publish, rent_policy

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_organization_page_lists_its_published_houses_with_rent_and_an_apply_button(visitor, listing):
    response = visitor.get("/v/second-wind/")

    assert response.status_code == 200
    page = text_of(response)
    assert "Maple House" in page
    assert "Springfield · East Side, near the bus line" in page
    assert "Men, ages 18 and over" in page
    assert "$175.00 weekly" in page
    assert 'href="/v/second-wind/maple-house/"' in page
    assert 'href="/v/second-wind/maple-house/apply/"' in page


def test_an_unpublished_house_is_not_listed_and_its_page_is_404(visitor, listing, organization):
    hidden = publish(HouseFactory(organization=organization, name="Cedar House", beds=2), published=False)

    assert "Cedar House" not in text_of(visitor.get("/v/second-wind/"))
    assert visitor.get(f"/v/second-wind/{hidden.slug}/").status_code == 404
    assert visitor.get(f"/v/second-wind/{hidden.slug}/apply/").status_code == 404


def test_a_closed_house_is_not_shown_even_when_its_listing_is_published(visitor, listing, organization):
    closed = HouseFactory(organization=organization, name="Old House", beds=2)
    publish(closed, slug="old-house")
    House.objects.filter(pk=closed.pk).update(status=House.Status.CLOSED, closed_on=TODAY - timedelta(days=30))

    assert "Old House" not in text_of(visitor.get("/v/second-wind/"))
    assert visitor.get("/v/second-wind/old-house/").status_code == 404


def test_an_organization_that_publishes_no_house_has_no_public_page(visitor, organization, house):
    publish(house, published=False)

    assert visitor.get("/v/second-wind/").status_code == 404
    assert visitor.get("/v/second-wind/apply/").status_code == 404


def test_a_house_is_not_found_under_another_organizations_slug(visitor, listing, foreign_house):
    publish(foreign_house, slug="aspen-house")

    assert visitor.get("/v/elsewhere/maple-house/").status_code == 404
    assert visitor.get("/v/second-wind/aspen-house/").status_code == 404
    assert visitor.get("/v/nobody/").status_code == 404


def test_the_house_page_says_who_it_serves_and_what_it_costs(visitor, organization, house):
    House.objects.filter(pk=house.pk).update(narr_level=2)
    rent_policy(house, rent="725.00", period=RentPeriod.MONTHLY, deposit="300.00")
    listing = publish(
        house, slug="maple-house", min_age=21, max_age=65, accepts_moud=True,
        included="Utilities\nWi-Fi\n- Linens", refund_policy="The deposit is refunded within 30 days of moving out.",
    )  # fmt: skip
    ListingFee.objects.create(listing=listing, name="Application fee", amount=Decimal("25.00"))
    ListingFee.objects.create(
        listing=listing, name="Drug testing", amount=Decimal("10.00"), frequency=ListingFee.Frequency.MONTHLY,
        refundable=True, note="Covered by some vouchers",
    )  # fmt: skip

    page = text_of(visitor.get("/v/second-wind/maple-house/"))

    assert "House for</dt><dd>Men" in page
    assert "Ages</dt><dd>21 to 65" in page
    assert "Level II (monitored)" in page
    assert "Welcome: residents on buprenorphine" in page
    assert "Rent</dt><dd>$725.00 monthly" in page
    assert "Deposit</dt><dd>$300.00" in page
    assert "Application fee</strong>: $25.00, one time, not refundable" in page
    assert "Drug testing</strong>: $10.00, each month, refundable (Covered by some vouchers)" in page
    assert "The deposit is refunded within 30 days of moving out." in page
    assert "<li>Utilities</li><li>Wi-Fi</li><li>Linens</li>" in page


def test_a_house_without_rent_terms_says_ask_us(visitor, house):
    publish(house, slug="maple-house", contact_phone="(555) 010-2000")

    page = text_of(visitor.get("/v/second-wind/maple-house/"))

    assert "Rent and deposit</dt><dd>Ask us at (555) 010-2000" in page


def test_the_street_address_is_hidden_unless_the_operator_publishes_it(visitor, listing, house):
    House.objects.filter(pk=house.pk).update(address_line1="1418 Maple Avenue")

    assert "1418 Maple Avenue" not in text_of(visitor.get("/v/second-wind/maple-house/"))
    assert "1418 Maple Avenue" not in text_of(visitor.get("/v/second-wind/"))

    listing.show_street_address = True
    listing.save()
    assert "1418 Maple Avenue" in text_of(visitor.get("/v/second-wind/maple-house/"))


def test_the_contact_phone_and_email_of_the_listing_are_shown(visitor, listing):
    listing.contact_phone, listing.contact_email = "(555) 010-2000", "beds@secondwind.example"
    listing.save()

    page = text_of(visitor.get("/v/second-wind/maple-house/"))

    assert 'href="tel:(555) 010-2000"' in page
    assert 'href="mailto:beds@secondwind.example"' in page


def test_beds_open_and_opening_match_the_vacancy_selector(visitor, listing, house):
    """Four beds: one taken for good, one discharged in 3 days, one with a planned move-out in 10 days, one free."""
    operator = operator_of(house.organization)
    admit(house, on=TODAY - timedelta(days=60))
    leaving = admit(house, on=TODAY - timedelta(days=40))
    stay_services.stay_discharge(
        actor=operator, stay=leaving, on=TODAY + timedelta(days=3), reason=Stay.DischargeReason.COMPLETED
    )
    planned = admit(house, on=TODAY - timedelta(days=20))
    Stay.objects.filter(pk=planned.pk).update(expected_move_out=TODAY + timedelta(days=10))

    vacancy = vacancies([house], today=TODAY)[house.pk]
    house_page = text_of(visitor.get("/v/second-wind/maple-house/"))
    list_page = text_of(visitor.get("/v/second-wind/"))

    assert (vacancy.open_now, vacancy.opening_soon) == (1, 2)
    for page in (house_page, list_page):
        assert "1 bed open now" in page
        assert "2 opening within 14 days" in page
    assert "1 bed expected to open Thursday, December 10" in house_page
    assert "1 bed expected to open Thursday, December 17" in house_page


def test_no_resident_name_appears_on_either_page(visitor, listing, house):
    residents = [
        admit(house, on=TODAY - timedelta(days=30), legal_first_name="Zebulon", legal_last_name="Quackenbush"),
        admit(house, on=TODAY - timedelta(days=10), legal_first_name="Philippa", legal_last_name="Oyelaran"),
    ]
    Stay.objects.filter(pk=residents[1].pk).update(expected_move_out=TODAY + timedelta(days=5))

    for url in ("/v/second-wind/", "/v/second-wind/maple-house/"):
        page = text_of(visitor.get(url))
        for name in ("Zebulon", "Quackenbush", "Philippa", "Oyelaran"):
            assert name not in page, f"{name} appears on {url}"


@pytest.mark.parametrize("role", ["operator", "manager", "resident_member", "outsider"])
def test_a_signed_in_member_sees_the_same_public_page(page, listing, request, role):
    response = page(request.getfixturevalue(role)).get("/v/second-wind/maple-house/")

    assert response.status_code == 200
    assert "Apply to Maple House" in text_of(response)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_organization_page_costs_the_same_queries_for_one_house_or_five(
    visitor, listing, published_house_factory, django_assert_max_num_queries
):
    one = _queries(visitor, "/v/second-wind/")
    for number in range(4):
        published_house_factory(f"Extra House {number}")

    with django_assert_max_num_queries(one):
        response = visitor.get("/v/second-wind/")
    assert text_of(response).count('Apply<span class="visually-hidden"> to') == 5


def test_a_large_organization_is_listed_a_page_at_a_time_with_its_beds_counted_per_page(
    visitor, listing, published_house_factory, monkeypatch
):
    monkeypatch.setattr("vacancies.public_selectors.PUBLIC_PAGE_SIZE", 2)
    for name in ("Birch House", "Cedar House"):
        published_house_factory(name)

    first, last = text_of(visitor.get("/v/second-wind/")), text_of(visitor.get("/v/second-wind/?page=2"))

    assert ("Birch House" in first, "Cedar House" in first, "Maple House" in first) == (True, True, False)
    assert ("Maple House" in last, "Page 2 of 2 · 3 in all" in last) == (True, True)


def test_the_house_page_costs_a_fixed_number_of_queries_whatever_its_fees_and_photos(
    visitor, listing, django_assert_max_num_queries
):
    for number in range(5):
        ListingFee.objects.create(listing=listing, name=f"Fee {number}", amount=Decimal("5.00"))

    with django_assert_max_num_queries(8):
        visitor.get("/v/second-wind/maple-house/")


def test_a_visitor_may_keep_the_pages_a_minute_but_a_signed_in_members_copy_is_never_stored(
    visitor, page, listing, operator
):
    anonymous = visitor.get("/v/second-wind/maple-house/")["Cache-Control"]
    signed_in = page(operator).get("/v/second-wind/maple-house/")["Cache-Control"]

    assert "public" in anonymous
    assert "max-age=60" in anonymous
    assert "no-store" in signed_in
    assert "public" not in signed_in
