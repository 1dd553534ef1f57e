"""Staff refund a resident's online payment through Stripe, from the resident's page or the API. Operators only;
nothing is posted when the refund is asked for: the ledger shows it once Stripe's ``charge.refunded`` event arrives,
exactly once however often it is delivered."""

from decimal import Decimal

import lxml.html
import pytest

from billing.models import EntryKind, LedgerEntry, OnlineRefund
from billing.selectors.balances import balance_of

from .conftest import event_for, make_online

REFUNDS = "/v1/refunds"


@pytest.fixture
def received(deliver, attempt, stripe_stand_in):
    """The member resident's 500.00 card payment, received (the ledger credited)."""
    deliver(event_for("checkout.session.completed.json", attempt))
    attempt.refresh_from_db()
    return attempt


def refund_page(op) -> str:
    return f"/billing/online-payments/{op.pk}/refund/"


def api_path(op) -> str:
    return f"/api/v1/payments/online/{op.pk}/refund/"


def refund_entries(op):
    return LedgerEntry.objects.filter(resident_id=op.resident_id, kind=EntryKind.REFUND)


def refunded_event(op, cents: int, *, event_id: str):
    return event_for("charge.refunded.json", op, event_id=event_id, amount_refunded=cents, refunded=cents == 50000)


def section_text(response) -> str:
    document = lxml.html.fromstring(response.content.decode())
    [section] = document.cssselect("#online-payments")
    return " ".join(section.text_content().split())


# The page


def test_the_operator_refunds_from_the_residents_page_and_stripe_is_asked_once(
    received, page, operator, stripe_stand_in
):
    client = page(operator)
    resident_page = client.get(f"/dashboard/residents/{received.resident_id}/")
    [link] = lxml.html.fromstring(resident_page.content.decode()).cssselect("#online-payments a.button")
    assert link.get("href") == refund_page(received)
    response = client.submit(refund_page(received), {"amount": "200.00", "note": "Moved out before the week began"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/dashboard/residents/{received.resident_id}/#online-payments")
    refund = OnlineRefund.objects.get()
    assert (refund.amount, refund.reason, refund.requested_by) == (Decimal("200.00"), "staff", operator.user)
    assert refund.note == "Moved out before the week began"
    call = stripe_stand_in.last(REFUNDS)
    assert call["form"]["amount"] == "20000"
    assert call["headers"]["Idempotency-Key"] == f"hearth-refund-{refund.pk}"


def test_the_refund_form_offers_all_that_is_refundable(received, page, operator):
    document = lxml.html.fromstring(page(operator).get(refund_page(received)).content.decode())
    [amount] = document.cssselect("input[name=amount]")
    assert amount.get("value") == "500.00"
    assert document.cssselect("label[for=id_amount]")
    assert document.cssselect("label[for=id_note]")


def test_nothing_is_posted_until_stripe_reports_the_refund(received, page, operator, owing):
    page(operator).submit(refund_page(received), {"amount": "500.00", "note": "Paid twice by mistake"})
    assert not refund_entries(received).exists()
    assert balance_of(owing.pk) == Decimal("400.00")


def test_the_ledger_shows_the_refund_once_even_when_stripes_event_comes_twice(received, page, operator, deliver, owing):
    client = page(operator)
    client.submit(refund_page(received), {"amount": "500.00", "note": "Paid twice by mistake"})
    event = refunded_event(received, 50000, event_id="evt_staff_refund")
    assert deliver(event).status_code == 200
    assert deliver(event).status_code == 200
    assert list(refund_entries(received).values_list("amount", flat=True)) == [Decimal("500.00")]
    assert balance_of(owing.pk) == Decimal("900.00")
    ledger = client.get(f"/dashboard/residents/{received.resident_id}/").content.decode()
    assert ledger.count("Refund of an online payment") == 1


def test_the_residents_page_shows_the_refund_and_its_reason(received, page, operator):
    client = page(operator)
    client.submit(refund_page(received), {"amount": "120.00", "note": "Overcharged for June"})
    text = section_text(client.get(f"/dashboard/residents/{received.resident_id}/"))
    assert "Refund of $120.00: refunded · Overcharged for June" in text


def test_an_amount_above_what_is_refundable_is_refused_beside_the_field_and_stripe_is_not_called(
    received, page, operator, stripe_stand_in
):
    response = page(operator).submit(refund_page(received), {"amount": "500.01", "note": "Too much"})
    assert response.status_code == 400
    document = lxml.html.fromstring(response.content.decode())
    assert (
        "At most $500.00 of this payment can still be refunded."
        in document.cssselect("#id_amount_error")[0].text_content()
    )
    assert not OnlineRefund.objects.exists()
    assert REFUNDS not in stripe_stand_in.paths()


def test_a_refund_without_a_reason_is_refused(received, page, operator, stripe_stand_in):
    response = page(operator).submit(refund_page(received), {"amount": "10.00", "note": ""})
    assert response.status_code == 400
    assert not OnlineRefund.objects.exists()


def test_when_stripe_refuses_the_page_says_nothing_was_refunded(received, page, operator, stripe_stand_in):
    stripe_stand_in.errors[REFUNDS] = (
        400,
        {"error": {"type": "invalid_request_error", "message": "Charge ch_1 has already been refunded."}},
    )
    response = page(operator).submit(refund_page(received), {"amount": "10.00", "note": "Goodwill"})
    assert response.status_code == 502
    assert "nothing was refunded" in response.content.decode()
    assert OnlineRefund.objects.get().status == OnlineRefund.Status.FAILED


def test_when_stripe_does_not_answer_the_page_says_the_refund_will_be_asked_again(
    received, page, operator, stripe_stand_in
):
    stripe_stand_in.errors[REFUNDS] = (500, {"error": {"type": "api_error", "message": "Stripe is down"}})
    response = page(operator).submit(refund_page(received), {"amount": "10.00", "note": "Goodwill"})
    assert response.status_code == 502
    assert "asks again in a few minutes" in response.content.decode()
    assert OnlineRefund.objects.get().status == OnlineRefund.Status.REQUESTED  # Stripe may have made it


def test_a_disputed_payment_offers_no_refund(received, page, operator, deliver):
    deliver(event_for("charge.dispute.created.json", received))
    client = page(operator)
    assert not lxml.html.fromstring(
        client.get(f"/dashboard/residents/{received.resident_id}/").content.decode()
    ).cssselect("#online-payments a.button")
    assert "it was disputed with the bank" in client.get(refund_page(received)).content.decode()


def test_a_manager_sees_the_payments_but_no_refund_button(received, page, manager):
    response = page(manager).get(f"/dashboard/residents/{received.resident_id}/")
    text = section_text(response)
    assert "$500.00" in text
    assert "Refunds are made by an operator." in text
    assert not lxml.html.fromstring(response.content.decode()).cssselect("#online-payments a.button")


@pytest.mark.parametrize(("role", "expected"), [("manager", 403), ("resident_member", 403), ("outsider", 404)])
def test_only_an_operator_of_the_organization_reaches_the_refund_page(
    request, received, page, role, expected, stripe_stand_in
):
    client = page(request.getfixturevalue(role))
    assert client.get(refund_page(received)).status_code == expected
    assert client.post(refund_page(received), {"amount": "10.00", "note": "x"}).status_code == expected
    assert not OnlineRefund.objects.exists()
    assert REFUNDS not in stripe_stand_in.paths()


def test_an_anonymous_visitor_is_sent_to_log_in(client, received):
    response = client.get(refund_page(received))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_online_payments_section_costs_the_same_for_one_payment_or_ten(
    page, operator, member_resident, django_assert_max_num_queries
):
    client = page(operator)
    make_online(member_resident, "50.00", intent="pi_section_0", state="refunded")
    with django_assert_max_num_queries(80) as one:
        client.get(f"/dashboard/residents/{member_resident.pk}/")
    measured = len(one.captured_queries)
    for number in range(1, 10):
        make_online(member_resident, "50.00", intent=f"pi_section_{number}", state="refunded")
    with django_assert_max_num_queries(measured):
        response = client.get(f"/dashboard/residents/{member_resident.pk}/")
    assert section_text(response).count("$50.00 refunded") == 10


# The API


def test_the_api_refunds_all_that_is_refundable_when_no_amount_is_given(received, api, operator, stripe_stand_in):
    response = api(operator).post(api_path(received), {"note": "Moved out"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount"], body["reason"], body["note"], body["status"]) == (
        "500.00",
        "staff",
        "Moved out",
        "succeeded",
    )
    assert body["refund_id"].startswith("re_")
    assert stripe_stand_in.last(REFUNDS)["form"]["amount"] == "50000"


def test_the_api_refunds_part_of_a_payment(received, api, operator, stripe_stand_in):
    response = api(operator).post(api_path(received), {"amount": "75.50", "note": "Short week"}, format="json")
    assert response.status_code == 201
    assert response.json()["amount"] == "75.50"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "600.00", "note": "Too much"}, "amount"),
        ({"amount": "0", "note": "Nothing"}, "amount"),
        ({"amount": "1.234", "note": "Fractions"}, "amount"),
        ({"amount": "ten", "note": "Words"}, "amount"),
        ({"amount": "10.00"}, "note"),
        ({"amount": "10.00", "note": "ok", "reason": "overpaid"}, "reason"),
    ],
)
def test_the_api_refuses_bad_input_naming_the_field_and_writes_nothing(
    received, api, operator, stripe_stand_in, body, field
):
    response = api(operator).post(api_path(received), body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not OnlineRefund.objects.exists()
    assert REFUNDS not in stripe_stand_in.paths()


def test_the_api_answers_409_for_a_payment_refunded_in_full(received, api, operator, deliver, stripe_stand_in):
    deliver(refunded_event(received, 50000, event_id="evt_full_refund"))
    response = api(operator).post(api_path(received), {"note": "Again"}, format="json")
    assert response.status_code == 409
    assert not OnlineRefund.objects.exists()


def test_the_api_answers_502_when_stripe_fails(received, api, operator, stripe_stand_in):
    stripe_stand_in.errors[REFUNDS] = (500, {"error": {"type": "api_error", "message": "Stripe is down"}})
    response = api(operator).post(api_path(received), {"amount": "10.00", "note": "Goodwill"}, format="json")
    assert response.status_code == 502


@pytest.mark.parametrize(("role", "expected"), [("manager", 403), ("resident_member", 403), ("outsider", 404)])
def test_only_an_operator_of_the_organization_may_refund_through_the_api(
    request, received, api, role, expected, stripe_stand_in
):
    response = api(request.getfixturevalue(role)).post(api_path(received), {"note": "x"}, format="json")
    assert response.status_code == expected
    assert not OnlineRefund.objects.exists()


def test_an_anonymous_caller_may_not_refund(client, received):
    response = client.post(api_path(received), {"note": "x"}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert not OnlineRefund.objects.exists()


def test_the_api_refund_endpoint_answers_only_post(received, api, operator):
    assert api(operator).get(api_path(received)).status_code == 405


def test_an_unknown_payment_is_a_404(api, operator, stripe_stand_in):
    assert api(operator).post("/api/v1/payments/online/999999/refund/", {"note": "x"}, format="json").status_code == 404
