"""Support reads Stripe events and online payments in the admin (read-only); the portal reads through selectors."""

from datetime import date

import pytest
from django.contrib.admin.utils import quote

from billing.models import StripeEvent
from billing.selectors.online import checkout_options, online_payment_by_session, online_payments_for
from tests.factories import UserFactory, admit

from .conftest import event_for, make_online


@pytest.fixture
def support(db, client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_support_sees_each_events_type_status_and_error(support, deliver, attempt):
    deliver(event_for("checkout.session.completed.json", attempt, currency="eur"))
    page = support.get("/admin/billing/stripeevent/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "checkout.session.completed" in text
    assert "Failed" in text
    assert "The event is in eur" in text


def test_an_events_page_shows_its_payload_and_cannot_be_changed(support, deliver, attempt):
    deliver(event_for("checkout.session.completed.json", attempt))
    row = StripeEvent.objects.get()
    url = f"/admin/billing/stripeevent/{quote(row.pk)}"  # as the admin links it: "_23" in an id would read as "#"
    page = support.get(f"{url}/change/")
    assert page.status_code == 200
    assert "cs_test_hearth_" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert support.post(f"{url}/change/", {"status": "ignored"}).status_code == 403
    assert support.get("/admin/billing/stripeevent/add/").status_code == 403
    assert support.post(f"{url}/delete/", {"post": "yes"}).status_code == 403
    assert StripeEvent.objects.get().status == "handled"


def test_support_lists_online_payments(support, attempt):
    page = support.get("/admin/billing/onlinepayment/")
    assert page.status_code == 200
    assert attempt.checkout_session_id in page.content.decode()


def test_a_resident_finds_their_payment_by_the_session_they_return_with(resident_member, attempt):
    assert online_payment_by_session(viewer=resident_member, session_id=attempt.checkout_session_id) == attempt
    assert online_payment_by_session(viewer=resident_member, session_id="") is None


def test_a_resident_cannot_find_a_neighbours_payment_by_its_session(resident_member, house, attempt):
    neighbour = admit(house, date(2026, 2, 1)).resident
    theirs = make_online(neighbour, intent="pi_neighbour")
    assert online_payment_by_session(viewer=resident_member, session_id=theirs.checkout_session_id) is None
    assert list(online_payments_for(viewer=resident_member)) == [attempt]


def test_the_pay_form_options_say_what_may_be_paid(owing, settings):
    settings.STRIPE_SECRET_KEY = ""
    options = checkout_options(resident=owing)
    assert options["available"] is False
    assert str(options["open_balance"]) == "900.00"
    assert options["currency"] == "USD"
