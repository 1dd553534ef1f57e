"""The portal's money pages: balance, next rent, "Pay rent" through Stripe Checkout, and the return page."""

import pytest

from billing.models import OnlinePayment


@pytest.fixture
def resident_client(page, resident_member):
    return page(resident_member)


def test_the_pay_page_shows_the_balance_and_prefills_it(resident_client, owing, stripe_settings):
    page = resident_client.get("/portal/pay/").content.decode()
    assert "You owe" in page
    assert "900.00" in page
    assert 'value="900.00"' in page
    assert "Pay rent" in page


def test_paying_sends_the_resident_to_stripe_checkout(resident_client, owing, stripe_stand_in):
    response = resident_client.submit("/portal/pay/", {"amount": "250.00"}, button="Pay rent")
    assert response.status_code == 302
    assert response["Location"].startswith("https://checkout.stripe.com/")
    assert OnlinePayment.objects.get().amount == 250


def test_an_amount_above_the_balance_is_refused_beside_the_field(resident_client, owing, stripe_stand_in):
    response = resident_client.submit("/portal/pay/", {"amount": "5000.00"}, button="Pay rent")
    assert response.status_code == 400
    assert 'id="id_amount_error"' in response.content.decode()
    assert not OnlinePayment.objects.exists()


def test_without_stripe_the_page_says_plainly_to_pay_the_manager(resident_client, owing, settings):
    settings.STRIPE_SECRET_KEY = ""
    page = resident_client.get("/portal/pay/").content.decode()
    assert "Online payment is not set up" in page


def test_the_return_page_shows_a_payment_pending_until_the_webhook_confirms_it(resident_client, attempt):
    page = resident_client.get(f"/portal/pay/return/?session_id={attempt.checkout_session_id}").content.decode()
    assert "Pending" in page


def test_another_residents_session_is_not_shown(client, attempt, organization):
    from tests.factories import MembershipFactory, ResidentFactory

    other = MembershipFactory(organization=organization, role="resident")
    ResidentFactory(organization=organization, membership=other)
    client.force_login(other.user)
    response = client.get(f"/portal/pay/return/?session_id={attempt.checkout_session_id}")
    assert response.status_code == 302


def test_staff_cannot_open_the_pay_page(client, manager):
    client.force_login(manager.user)
    assert client.get("/portal/pay/").status_code == 403


def test_the_portal_home_shows_the_money_card(resident_client, owing):
    page = resident_client.get("/portal/").content.decode()
    assert "You owe $900.00" in page
    assert "Pay rent" in page


def test_the_pending_return_page_checks_again_from_a_script_file_the_content_security_policy_allows(
    resident_client, attempt
):
    page = resident_client.get(f"/portal/pay/return/?session_id={attempt.checkout_session_id}").content.decode()
    assert 'data-reload-after="10"' in page
    assert "js/reload.js" in page
    assert "<script>" not in page
