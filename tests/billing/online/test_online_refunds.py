"""Refunds of online payments asked of Stripe (``online_refund_request``), and the automatic refund of what a payment
paid beyond what the resident owed. The ledger follows from Stripe's ``charge.refunded`` event, never from the
request."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.exceptions import DomainError, NotAllowed
from billing.models import EntryKind, LedgerEntry, OnlinePayment, OnlineRefund, PaymentAlert
from billing.selectors.balances import balance_of
from billing.services.ledger import credit_post
from billing.services.online_checkout import PaymentServiceUnavailable
from billing.services.online_refunds import online_overpayment_refund, online_refund_request, online_refunds_retry
from billing.services.stripe_setup import OnlinePaymentNotSetUp
from billing.tasks import refund_online_overpayment

from .conftest import event_for, make_online
from .stand_in_checkout import refunds_of

REFUNDS = "/v1/refunds"


@pytest.fixture
def paid(owing):
    """The resident owed 900.00 and paid 100.00 of it online (within what they owed: nothing to refund)."""
    return make_online(owing, "100.00", intent="pi_paid_0001")


def refund(op, amount="40.00", **extra):
    return online_refund_request(online_payment_id=op.pk, amount=amount, reason=extra.pop("reason", "staff"), **extra)


def test_a_refund_is_asked_of_stripe_for_the_payment_intent_in_minor_units(paid, operator, stripe_stand_in):
    made = refund(paid, "40.00", actor=operator, note="Moved out early")
    form = stripe_stand_in.last(REFUNDS)["form"]
    assert (form["payment_intent"], form["amount"]) == ("pi_paid_0001", "4000")
    assert {key[9:-1]: value for key, value in form.items() if key.startswith("metadata[")} == {
        "organization_id": str(paid.organization_id),
        "online_payment_id": str(paid.pk),
        "online_refund_id": str(made.pk),
    }
    assert (made.amount, made.reason, made.note, made.requested_by) == (
        Decimal("40.00"),
        "staff",
        "Moved out early",
        operator.user,
    )


def test_a_member_of_another_organization_cannot_ask_for_a_refund(paid, outsider, stripe_stand_in):
    with pytest.raises(NotAllowed):
        refund(paid, "40.00", actor=outsider)
    assert not OnlineRefund.objects.exists()
    assert not [request for request in stripe_stand_in.requests if request["path"] == REFUNDS]


def test_a_manager_cannot_ask_for_a_refund(paid, manager, stripe_stand_in):
    with pytest.raises(NotAllowed):
        refund(paid, "40.00", actor=manager)
    assert not OnlineRefund.objects.exists()


def test_the_refund_carries_an_idempotency_key_naming_its_row(paid, stripe_stand_in):
    made = refund(paid)
    assert stripe_stand_in.last(REFUNDS)["headers"]["Idempotency-Key"] == f"hearth-refund-{made.pk}"


def test_the_refund_keeps_stripes_id_and_status(paid, stripe_stand_in):
    made = refund(paid)
    assert (made.refund_id, made.status) == ("re_standin0001", "succeeded")


def test_a_refund_stripe_has_not_finished_is_pending(paid, stripe_stand_in):
    stripe_stand_in.refund_status = "pending"
    assert refund(paid).status == "pending"


def test_the_request_writes_nothing_on_the_ledger(paid, stripe_stand_in):
    refund(paid)
    assert not LedgerEntry.objects.filter(kind=EntryKind.REFUND).exists()
    assert balance_of(paid.resident_id) == Decimal("800.00")


def test_stripes_refund_event_then_posts_the_refund_once(paid, stripe_stand_in, deliver):
    refund(paid, "40.00")
    event = event_for("charge.refunded.json", paid, payment_intent=paid.payment_intent_id, amount_refunded=4000)
    assert deliver(event).status_code == 200
    assert deliver(event).status_code == 200
    assert list(LedgerEntry.objects.filter(kind=EntryKind.REFUND).values_list("amount", flat=True)) == [
        Decimal("40.00")
    ]


def test_a_payment_charged_on_a_connected_account_is_refunded_there(paid, stripe_stand_in):
    OnlinePayment.objects.filter(pk=paid.pk).update(account_id="acct_hearth0001")
    refund(paid)
    assert stripe_stand_in.last(REFUNDS)["headers"]["Stripe-Account"] == "acct_hearth0001"


def test_a_payment_of_the_platform_is_refunded_without_an_account_header(paid, stripe_stand_in):
    refund(paid)
    assert "Stripe-Account" not in stripe_stand_in.last(REFUNDS)["headers"]


# Refused, with nothing written


@pytest.mark.parametrize(
    ("amount", "fragment"),
    [
        ("0", "more than zero"),
        ("-5.00", "more than zero"),
        ("1.005", "decimal places"),
        ("abc", "amount of money"),
        ("100.01", "At most $100.00"),
    ],
)
def test_a_bad_amount_is_refused_and_nothing_is_written(paid, stripe_stand_in, amount, fragment):
    with pytest.raises(DomainError) as refused:
        refund(paid, amount)
    assert refused.value.field == "amount"
    assert fragment in refused.value.message
    assert not OnlineRefund.objects.exists()
    assert stripe_stand_in.requests == []


def test_refunds_on_their_way_and_refunded_amounts_are_not_refundable_again(paid, stripe_stand_in):
    stripe_stand_in.refund_status = "pending"
    refund(paid, "30.00")
    OnlinePayment.objects.filter(pk=paid.pk).update(amount_refunded=Decimal("20.00"), status="partially_refunded")
    with pytest.raises(DomainError, match=r"At most \$50.00"):
        refund(paid, "50.01")
    assert refund(paid, "50.00").amount == Decimal("50.00")


def test_an_unknown_reason_is_refused(paid, stripe_stand_in):
    with pytest.raises(DomainError) as refused:
        refund(paid, reason="goodwill")
    assert refused.value.field == "reason"
    assert not OnlineRefund.objects.exists()


@pytest.mark.parametrize("state", ["created", "pending"])
def test_a_payment_not_received_cannot_be_refunded(owing, stripe_stand_in, state):
    op = make_online(owing, "100.00", intent="pi_not_yet", state=state)
    with pytest.raises(DomainError) as refused:
        refund(op)
    assert refused.value.status_code == 409
    assert not OnlineRefund.objects.exists()


def test_a_disputed_payment_cannot_be_refunded(paid, stripe_stand_in):
    OnlinePayment.objects.filter(pk=paid.pk).update(status="disputed", dispute_id="dp_0001")
    with pytest.raises(DomainError, match="disputed"):
        refund(paid)
    assert stripe_stand_in.requests == []


def test_without_a_stripe_key_nothing_is_written(paid, settings):
    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(OnlinePaymentNotSetUp):
        refund(paid)
    assert not OnlineRefund.objects.exists()


def test_a_stripe_error_marks_the_refund_failed_with_stripes_reason(paid, stripe_stand_in):
    stripe_stand_in.errors[REFUNDS] = (
        400,
        {"error": {"type": "invalid_request_error", "message": "Charge ch_1 has already been refunded."}},
    )
    with pytest.raises(PaymentServiceUnavailable):
        refund(paid)
    failed = OnlineRefund.objects.get()
    assert failed.status == "failed"
    assert "already been refunded" in failed.failure_reason


# Paid more than owed: the excess goes back automatically


def test_a_payment_that_takes_the_resident_into_credit_is_refunded_the_excess(
    owing, stripe_stand_in, django_capture_on_commit_callbacks
):
    make_online(owing, "900.00", intent="pi_first")
    with django_capture_on_commit_callbacks(execute=True):
        second = make_online(owing, "300.00", intent="pi_second")
    (made,) = OnlineRefund.objects.all()
    assert (made.online_payment, made.reason, made.amount, made.status) == (second, "overpaid", Decimal("300.00"),
                                                                             "succeeded")  # fmt: skip
    assert stripe_stand_in.last(REFUNDS)["form"]["payment_intent"] == "pi_second"


def test_the_excess_refunded_is_what_was_paid_beyond_the_balance(
    owing, stripe_stand_in, django_capture_on_commit_callbacks
):
    make_online(owing, "800.00", intent="pi_first")
    with django_capture_on_commit_callbacks(execute=True):
        make_online(owing, "300.00", intent="pi_second")
    assert OnlineRefund.objects.get().amount == Decimal("200.00")


def test_a_payment_within_what_is_owed_is_not_refunded(owing, stripe_stand_in, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_online(owing, "900.00", intent="pi_all")
    assert not OnlineRefund.objects.exists()
    assert stripe_stand_in.requests == []


def test_the_excess_is_refunded_at_most_up_to_the_payment(
    owing, operator, stripe_stand_in, django_capture_on_commit_callbacks
):
    credit_post(actor=operator, resident=owing, amount="950.00", memo="Voucher", effective_on=date(2026, 6, 2))
    with django_capture_on_commit_callbacks(execute=True):
        make_online(owing, "20.00", intent="pi_small")
    assert OnlineRefund.objects.get().amount == Decimal("20.00")


def test_the_excess_is_refunded_once_however_often_it_is_checked(owing, stripe_stand_in):
    make_online(owing, "900.00", intent="pi_first")
    second = make_online(owing, "300.00", intent="pi_second")
    assert online_overpayment_refund(online_payment_id=second.pk) is not None
    assert online_overpayment_refund(online_payment_id=second.pk) is None
    assert len(refunds_of(stripe_stand_in)) == 1


def test_an_excess_already_being_refunded_is_not_refunded_again_from_another_payment(owing, stripe_stand_in):
    first = make_online(owing, "900.00", intent="pi_first")
    second = make_online(owing, "300.00", intent="pi_second")
    online_overpayment_refund(online_payment_id=second.pk)  # asked for; Stripe's refund event not here yet
    assert online_overpayment_refund(online_payment_id=first.pk) is None
    assert OnlineRefund.objects.count() == 1


def test_a_failed_automatic_refund_leaves_the_payment_credited_and_the_webhook_answered(
    owing, stripe_stand_in, deliver, resident_member, django_capture_on_commit_callbacks
):
    make_online(owing, "900.00", intent="pi_first")
    op = make_online(owing, "300.00", intent="pi_second", state="created")
    stripe_stand_in.errors[REFUNDS] = (500, {"error": {"type": "api_error", "message": "Stripe is down."}})
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(event_for("checkout.session.completed.json", op, payment_intent="pi_second"))
    assert response.status_code == 200
    op.refresh_from_db()
    assert op.status == "succeeded"
    assert OnlineRefund.objects.get().status == "requested"  # Stripe may have refunded: asked again later


def test_a_refund_stripe_did_not_confirm_is_asked_again_under_the_same_key_and_made_once(
    owing, stripe_stand_in, time_machine
):
    make_online(owing, "900.00", intent="pi_first")
    second = make_online(owing, "300.00", intent="pi_second")
    stripe_stand_in.errors[REFUNDS] = (500, {"error": {"type": "api_error", "message": "Stripe is down."}})
    with pytest.raises(PaymentServiceUnavailable):
        online_overpayment_refund(online_payment_id=second.pk)
    del stripe_stand_in.errors[REFUNDS]
    assert online_refunds_retry() == 0  # too soon: the first try may still be on its way
    time_machine.move_to(timezone.now() + timedelta(minutes=3))
    assert online_refunds_retry() == 1
    made = OnlineRefund.objects.get()
    assert (made.status, made.refund_id is not None) == ("succeeded", True)
    keys = {request["headers"]["Idempotency-Key"] for request in stripe_stand_in.requests if request["path"] == REFUNDS}
    assert keys == {f"hearth-refund-{made.pk}"}


def test_an_automatic_refund_stripe_refuses_is_shown_to_staff(owing, stripe_stand_in):
    make_online(owing, "900.00", intent="pi_first")
    second = make_online(owing, "300.00", intent="pi_second")
    stripe_stand_in.errors[REFUNDS] = (
        400,
        {"error": {"type": "invalid_request_error", "message": "Charge ch_1 has already been refunded."}},
    )
    with pytest.raises(PaymentServiceUnavailable):
        online_overpayment_refund(online_payment_id=second.pk)
    alert = PaymentAlert.objects.get()
    assert (alert.kind, alert.online_payment, alert.amount) == ("refund_failed", second, Decimal("300.00"))


def test_without_a_stripe_key_no_automatic_refund_is_recorded(owing, settings):
    make_online(owing, "900.00", intent="pi_first")
    second = make_online(owing, "300.00", intent="pi_second")
    settings.STRIPE_SECRET_KEY = ""
    assert refund_online_overpayment(second.pk) is None
    assert not OnlineRefund.objects.exists()
