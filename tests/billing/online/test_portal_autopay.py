"""The portal's autopay page: the terms and the box to tick, Stripe's page to save a method, turning autopay off,
the charges and their retries; reached from the home page's rent card. Each test submits the page's own forms."""

from datetime import timedelta

import lxml.html
import pytest

from billing.models import Autopay, OnlinePayment
from billing.services.autopay import autopay_consent_text
from billing.services.autopay_charges import autopay_charges_run

from .test_autopay import TODAY, autopay_on, rent_due

PAGE = "/portal/pay/autopay/"


@pytest.fixture
def resident_client(page, resident_member):
    return page(resident_member)


def text_of(response) -> str:
    return " ".join(lxml.html.fromstring(response.content.decode()).cssselect("main")[0].text_content().split())


def test_the_page_shows_the_terms_the_resident_agrees_to(resident_client, member_resident, stripe_settings):
    response = resident_client.get(PAGE)
    assert response.status_code == 200
    assert "Autopay is off" in text_of(response)
    assert autopay_consent_text(resident=member_resident) in text_of(response)


def test_agreeing_on_the_page_sends_the_resident_to_stripe_to_save_a_method(
    resident_client, member_resident, stripe_stand_in
):
    response = resident_client.submit(PAGE, {"consent": "on"}, button="Agree and save a payment method")
    assert response.status_code == 302
    assert response["Location"] == "https://checkout.stripe.com/c/pay/cs_test_standin0001"
    autopay = Autopay.objects.get()
    assert (autopay.status, autopay.consent_text) == ("setting_up", autopay_consent_text(resident=member_resident))


def test_without_the_box_ticked_the_page_says_so_beside_it_and_writes_nothing(resident_client, stripe_stand_in):
    response = resident_client.submit(PAGE, {"consent": None}, button="Agree and save a payment method")
    assert response.status_code == 400
    document = lxml.html.fromstring(response.content.decode())
    assert "Tick the box to agree" in document.cssselect("#id_consent_error")[0].text_content()
    assert not Autopay.objects.exists()
    assert stripe_stand_in.requests == []


def test_the_resident_turns_autopay_off_with_the_pages_button(resident_client, member_resident, stripe_settings):
    autopay_on(member_resident)
    page = resident_client.get(PAGE)
    assert "Autopay is on" in text_of(page)
    assert "Visa ending 4242" in text_of(page)
    response = resident_client.submit(PAGE, {}, form="form[action$='/autopay/off/']", follow=True)
    assert Autopay.objects.get().status == "off"
    assert "Autopay is off. Nothing more will be charged automatically." in text_of(response)


def test_a_failed_charge_shows_when_it_is_tried_again(resident_client, operator, member_resident, stripe_stand_in):
    stripe_stand_in.intent_outcome = "requires_payment_method"
    rent_due(operator, member_resident)
    autopay_on(member_resident)
    autopay_charges_run(on=TODAY, organization=member_resident.organization)
    text = text_of(resident_client.get(PAGE))
    assert "Rent due Jun 15, 2026" in text
    assert "Failed" in text
    assert f"We will try again on {TODAY + timedelta(days=3):%b} {(TODAY + timedelta(days=3)).day}." in text


def test_without_stripe_the_page_says_autopay_is_not_available(resident_client, settings):
    settings.STRIPE_SECRET_KEY = ""
    response = resident_client.get(PAGE)
    assert "autopay cannot be turned on" in text_of(response)
    assert not lxml.html.fromstring(response.content.decode()).cssselect("input[name='consent']")


def test_the_rent_card_on_the_home_page_links_to_autopay(resident_client):
    document = lxml.html.fromstring(resident_client.get("/portal/").content.decode())
    links = document.cssselect("section[aria-labelledby='money-heading'] a")
    assert PAGE in [link.get("href") for link in links]


@pytest.mark.parametrize("role", ["operator", "manager"])
def test_staff_cannot_open_the_residents_autopay_page(page, request, role):
    member = request.getfixturevalue(role)
    assert page(member).get(PAGE).status_code == 403
    assert page(member).post(f"{PAGE}off/").status_code == 403


def test_the_page_needs_a_login(client, db):
    assert client.get(PAGE).status_code == 302
    assert client.post(f"{PAGE}off/").status_code == 302
    assert not OnlinePayment.objects.exists()


def _charges(resident, count):
    from billing.services.ledger import billing_stay

    stay = billing_stay(resident)
    for day in range(count):
        OnlinePayment.objects.create(
            organization_id=resident.organization_id,
            resident=resident,
            stay=stay,
            house_id=stay.house_id,
            amount="100.00",
            currency="usd",
            source="autopay",
            due_on=TODAY - timedelta(days=7 * (day + 1) + 100 * count),
            status="failed",
            attempts=1,
        )


def test_the_page_costs_the_same_queries_for_one_charge_or_many(
    resident_client, member_resident, stripe_settings, django_assert_max_num_queries
):
    autopay_on(member_resident)
    _charges(member_resident, 1)
    with django_assert_max_num_queries(30) as one:
        resident_client.get(PAGE)
    _charges(member_resident, 5)
    with django_assert_max_num_queries(len(one.captured_queries)):
        resident_client.get(PAGE)


def test_a_spanish_reader_agrees_to_the_terms_in_spanish_and_they_are_stored_as_read(
    page, resident_member, member_resident, stripe_stand_in
):
    resident_member.user.preferred_language = "es"
    resident_member.user.save(update_fields=["preferred_language"])
    client = page(resident_member)
    shown = text_of(client.get(PAGE))
    assert "Autorizo a Second Wind a cobrar" in shown
    assert "I authorize" not in shown

    client.submit(PAGE, {"consent": "on"}, button="Aceptar y guardar un método de pago")

    stored = Autopay.objects.get().consent_text
    assert stored.startswith("Autorizo a Second Wind a cobrar")
    assert stored in shown
