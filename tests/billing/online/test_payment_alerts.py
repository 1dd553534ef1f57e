"""Disputes, failed bank debits and failed refunds become payment alerts, each raised from Stripe's real event, and
each e-mailed to the organization's operators exactly once, however often Stripe delivers it."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core import mail

from accounts.models import Role
from billing.models import OnlinePayment, OnlineRefund, PaymentAlert, StripeEvent
from billing.services.payment_alerts import payment_alert_handle, payment_alert_notify
from tests.factories import MembershipFactory

from .conftest import CHARGE, PI, event_for, fixture

Kind = PaymentAlert.Kind
# Stripe's evidence deadline: 23:59:59 UTC on June 22, 2026, which is 6:59 p.m. in Chicago, 7 days after "today".
DUE_BY = int(datetime(2026, 6, 22, 23, 59, 59, tzinfo=UTC).timestamp())


@pytest.fixture
def send(deliver, django_capture_on_commit_callbacks):
    """Delivers an event and runs what its transaction queued after commit (the operators' e-mail)."""

    def post(event):
        with django_capture_on_commit_callbacks(execute=True):
            response = deliver(event)
        assert response.status_code == 200, response.content
        return response

    return post


def paid(send, op) -> OnlinePayment:
    send(event_for("checkout.session.completed.json", op))
    op.refresh_from_db()
    return op


def dispute_created(op, **fields):
    event = event_for("charge.dispute.created.json", op, **fields)
    event["data"]["object"]["evidence_details"]["due_by"] = DUE_BY
    return event


def dispute_closed(op, status: str):
    event = dispute_created(op, event_id=f"evt_dispute_{status}", status=status)
    event["type"] = "charge.dispute.closed"
    return event


def refund_failed(op, *, refund_id: str = "re_hearth_failed", cents: int = 20000, event_id: str | None = None):
    """Zulip's captured ``charge.refund.updated`` (a refund that failed), rewritten for the local payment."""
    event = fixture("captured/zulip.charge.refund.updated.failed.json")
    event["id"] = event_id or f"evt_refund_failed_{op.pk}"
    event["data"]["object"].update(
        id=refund_id, amount=cents, currency=op.currency, charge=CHARGE, payment_intent=PI, metadata={}
    )
    return event


def alert_of(op, kind) -> PaymentAlert:
    return PaymentAlert.objects.get(online_payment=op, kind=kind)


# Disputes


def test_a_dispute_raises_an_alert_with_the_amount_resident_and_evidence_deadline(send, attempt):
    paid(send, attempt)
    send(dispute_created(attempt))
    alert = alert_of(attempt, Kind.DISPUTE)
    assert alert.reference == "dp_1Pgc71B7WZ01zgkWMevJiAUx"
    assert alert.amount == Decimal("500.00")
    assert alert.resident_id == attempt.resident_id
    assert alert.house_id == attempt.house_id
    assert alert.evidence_due_by == datetime(2026, 6, 22, 23, 59, 59, tzinfo=UTC)
    assert alert.resolved_at is None


def test_a_dispute_records_its_reason_and_deadline_on_the_payment(send, attempt):
    paid(send, attempt)
    send(dispute_created(attempt, reason="fraudulent"))
    attempt.refresh_from_db()
    assert attempt.dispute_reason == "fraudulent"
    assert attempt.dispute_evidence_due_by == datetime(2026, 6, 22, 23, 59, 59, tzinfo=UTC)
    assert "did not make this payment" in alert_of(attempt, Kind.DISPUTE).detail


def test_the_real_captured_chargeback_raises_an_alert_for_its_own_amount(send, attempt):
    paid(send, attempt)
    attempt.charge_id = "ch_3TbG44JEe0yY0QKr0aPnlMSQ"
    attempt.save(update_fields=["charge_id"])
    event = fixture("captured/zulip.charge.dispute.created.json")
    event["data"]["object"]["payment_intent"] = None
    dispute = event["data"]["object"]
    send(event)
    alert = alert_of(attempt, Kind.DISPUTE)
    assert alert.reference == dispute["id"]
    assert alert.amount == Decimal(dispute["amount"]) / 100
    assert alert.evidence_due_by == datetime.fromtimestamp(dispute["evidence_details"]["due_by"], tz=UTC)


def test_a_won_dispute_resolves_its_alert(send, attempt):
    paid(send, attempt)
    send(dispute_created(attempt))
    send(dispute_closed(attempt, "won"))
    alert = alert_of(attempt, Kind.DISPUTE)
    assert alert.resolved_at is not None
    assert alert.resolution == "Dispute won: the payment stands."
    assert not PaymentAlert.objects.open().exists()


def test_a_lost_dispute_resolves_its_alert_saying_the_money_went_back(send, attempt):
    paid(send, attempt)
    send(dispute_created(attempt))
    send(dispute_closed(attempt, "lost"))
    assert alert_of(attempt, Kind.DISPUTE).resolution.startswith("Dispute lost")


def test_a_dispute_closed_before_hearth_heard_it_opened_raises_no_alert(send, attempt):
    paid(send, attempt)
    send(dispute_closed(attempt, "won"))
    send(dispute_created(attempt))
    assert not PaymentAlert.objects.exists()


# Bank debits


def test_a_bank_debit_that_fails_after_the_checkout_raises_an_alert(send, attempt):
    send(event_for("checkout.session.completed.unpaid_ach.json", attempt))
    send(event_for("checkout.session.async_payment_failed.json", attempt))
    alert = alert_of(attempt, Kind.BANK_DEBIT_FAILED)
    assert alert.amount == Decimal("500.00")
    assert alert.reference == PI
    assert alert.evidence_due_by is None
    assert "still owed" in alert.detail


def test_a_bank_debit_that_bounces_after_processing_raises_an_alert(send, attempt):
    send(event_for("payment_intent.processing.json", attempt))
    send(
        event_for(
            "payment_intent.payment_failed.json",
            attempt,
            payment_method_types=["us_bank_account"],
            last_payment_error={"type": "invalid_request_error", "message": "The account has insufficient funds."},
        )
    )
    assert alert_of(attempt, Kind.BANK_DEBIT_FAILED).detail.startswith("The account has insufficient funds.")


def test_a_card_declined_on_the_checkout_page_raises_no_alert(send, attempt):
    send(event_for("payment_intent.payment_failed.json", attempt))
    assert not PaymentAlert.objects.exists()


# Refunds


def test_a_failed_refund_marks_the_refund_failed_with_stripes_reason(send, attempt, operator):
    paid(send, attempt)
    refund = OnlineRefund.objects.create(
        organization_id=attempt.organization_id, resident_id=attempt.resident_id, online_payment=attempt,
        amount=Decimal("200.00"), reason=OnlineRefund.Reason.STAFF, refund_id="re_hearth_failed",
        status=OnlineRefund.Status.PENDING, requested_by=operator.user,
    )  # fmt: skip
    send(refund_failed(attempt))
    refund.refresh_from_db()
    assert refund.status == OnlineRefund.Status.FAILED
    assert refund.failure_reason == "the card has expired or was canceled"


def test_a_failed_refund_raises_an_alert_for_the_refunds_amount(send, attempt):
    paid(send, attempt)
    send(refund_failed(attempt))
    alert = alert_of(attempt, Kind.REFUND_FAILED)
    assert alert.reference == "re_hearth_failed"
    assert alert.amount == Decimal("200.00")
    assert "expired or was canceled" in alert.detail


def test_a_refund_that_succeeded_raises_no_alert(send, attempt):
    paid(send, attempt)
    event = refund_failed(attempt)
    event["data"]["object"].update(status="succeeded", failure_reason=None)
    send(event)
    assert StripeEvent.objects.get(pk=event["id"]).status == "handled"
    assert not PaymentAlert.objects.exists()


def test_a_refund_update_for_a_payment_hearth_does_not_know_is_ignored(send, attempt, stripe_stand_in):
    send(fixture("captured/zulip.charge.refund.updated.failed.json"))
    assert StripeEvent.objects.get().status == "ignored"
    assert not PaymentAlert.objects.exists()


# E-mail, once


def test_the_operators_are_emailed_about_a_dispute_with_its_deadline(send, attempt, operator, manager, settings):
    settings.SITE_URL = "https://hearth.example.org"
    paid(send, attempt)
    mail.outbox.clear()
    send(dispute_created(attempt))
    [message] = mail.outbox
    assert message.to == [operator.user.email]
    resident = attempt.resident.display_name
    assert message.subject == "Disputed payment: $500.00 (Second Wind)"  # no name on a lock screen
    assert f"Resident: {resident}" in message.body
    assert "Evidence due at Stripe by: Monday, June 22, 2026 at 6:59 PM CDT (in 7 days)" in message.body
    alert = alert_of(attempt, Kind.DISPUTE)
    assert f"https://hearth.example.org/billing/alerts/{alert.pk}/" in message.body


def test_a_redelivered_dispute_emails_the_operators_once(send, deliver, attempt, operator):
    paid(send, attempt)
    mail.outbox.clear()
    event = dispute_created(attempt)
    send(event)
    send(event)
    send(dispute_created(attempt, event_id="evt_same_dispute_another_event"))
    assert len(mail.outbox) == 1
    assert PaymentAlert.objects.count() == 1


def test_each_active_operator_gets_their_own_email(send, attempt, operator, organization):
    second = MembershipFactory(organization=organization, role=Role.OPERATOR, user__full_name="Omar Owner")
    MembershipFactory(organization=organization, role=Role.OPERATOR, is_active=False)
    paid(send, attempt)
    mail.outbox.clear()
    send(dispute_created(attempt))
    assert sorted(m.to[0] for m in mail.outbox) == sorted([operator.user.email, second.user.email])
    assert {m.body.splitlines()[0] for m in mail.outbox} == {"Hello Olivia,", "Hello Omar,"}


def test_a_failed_bank_debit_is_emailed_once_even_when_both_failure_events_arrive(send, attempt, operator):
    send(event_for("checkout.session.completed.unpaid_ach.json", attempt))
    send(event_for("payment_intent.payment_failed.json", attempt, payment_method_types=["us_bank_account"]))
    send(event_for("checkout.session.async_payment_failed.json", attempt))
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Bank debit failed"]


def test_a_redelivered_refund_failure_is_emailed_once(send, attempt, operator):
    paid(send, attempt)
    mail.outbox.clear()
    send(refund_failed(attempt))
    send(refund_failed(attempt))
    send(refund_failed(attempt, event_id="evt_refund_failed_again"))
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Refund failed"]


def test_the_email_names_no_health_or_drug_test_information(send, attempt, operator):
    paid(send, attempt)
    mail.outbox.clear()
    send(dispute_created(attempt))
    body = mail.outbox[0].body.lower()
    for word in ("drug", "test result", "diagnos", "medication", "incident"):
        assert word not in body


def test_the_notify_task_sends_nothing_for_an_alert_already_notified(send, attempt, operator):
    paid(send, attempt)
    send(dispute_created(attempt))
    mail.outbox.clear()
    assert payment_alert_notify(alert_of(attempt, Kind.DISPUTE).pk) == 0
    assert mail.outbox == []


# Marked handled


def test_staff_mark_an_alert_handled_with_a_note(send, attempt, manager):
    send(event_for("checkout.session.async_payment_failed.json", attempt))
    alert = alert_of(attempt, Kind.BANK_DEBIT_FAILED)
    handled = payment_alert_handle(viewer=manager, alert_id=alert.pk, note="Paid by money order at the house.")
    assert handled.resolved_at is not None
    assert handled.resolution == "Paid by money order at the house. (Marcus)"


def test_an_alert_cannot_be_marked_handled_twice(send, attempt, operator):
    from accounts.exceptions import DomainError

    send(event_for("checkout.session.async_payment_failed.json", attempt))
    alert = alert_of(attempt, Kind.BANK_DEBIT_FAILED)
    payment_alert_handle(viewer=operator, alert_id=alert.pk, note="Called the resident.")
    with pytest.raises(DomainError) as refused:
        payment_alert_handle(viewer=operator, alert_id=alert.pk, note="Again.")
    assert refused.value.status_code == 409
    alert.refresh_from_db()
    assert alert.resolution == "Called the resident. (Olivia)"


# The API: /api/v1/payments/alerts/

ALERTS = "/api/v1/payments/alerts/"


@pytest.fixture
def two_alerts(send, attempt, other_resident):
    """A failed bank debit of the member resident (Maple House) and one of a Willow House resident."""
    from .conftest import make_online

    send(event_for("checkout.session.async_payment_failed.json", attempt))
    willow = make_online(other_resident, "80.00", intent="pi_willow_api", state="pending")
    send(event_for("checkout.session.async_payment_failed.json", willow, payment_intent="pi_willow_api"))
    return alert_of(attempt, Kind.BANK_DEBIT_FAILED), alert_of(willow, Kind.BANK_DEBIT_FAILED)


def _names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["resident_name"] for row in response.json()["results"]}


def test_the_operator_lists_every_alert_and_a_manager_those_of_their_houses(two_alerts, api, operator, manager):
    own, willow = two_alerts
    assert _names(api(operator).get(ALERTS)) == {own.resident.display_name, willow.resident.display_name}
    assert _names(api(manager).get(ALERTS)) == {own.resident.display_name}


def test_open_alerts_can_be_listed_alone(two_alerts, api, operator):
    own, willow = two_alerts
    payment_alert_handle(viewer=operator, alert_id=willow.pk, note="Paid in cash.")
    assert _names(api(operator).get(f"{ALERTS}?is_open=true")) == {own.resident.display_name}
    assert api(operator).get(f"{ALERTS}?is_open=maybe").status_code == 400


def test_the_alert_list_costs_the_same_for_two_alerts_or_twelve(
    send, two_alerts, api, operator, member_resident, django_assert_max_num_queries
):
    from .conftest import make_online

    client = api(operator)
    with django_assert_max_num_queries(20) as two:
        assert len(client.get(ALERTS).json()["results"]) == 2
    measured = len(two.captured_queries)  # now: the next request clears the connection's query log
    for number in range(10):
        op = make_online(member_resident, "40.00", intent=f"pi_api_many_{number}", state="pending")
        send(event_for("checkout.session.async_payment_failed.json", op, payment_intent=op.payment_intent_id))
    with django_assert_max_num_queries(measured):
        assert len(client.get(ALERTS).json()["results"]) == 12


def test_staff_mark_an_alert_handled_through_the_api(two_alerts, api, manager):
    own, _willow = two_alerts
    response = api(manager).post(f"{ALERTS}{own.pk}/handled/", {"note": "Resident paid by check."}, format="json")
    assert response.status_code == 200
    assert response.json()["is_open"] is False
    assert response.json()["resolution"] == "Resident paid by check. (Marcus)"
    again = api(manager).post(f"{ALERTS}{own.pk}/handled/", {"note": "Twice"}, format="json")
    assert again.status_code == 409


def test_marking_handled_without_a_note_is_refused(two_alerts, api, operator):
    own, _willow = two_alerts
    response = api(operator).post(f"{ALERTS}{own.pk}/handled/", {}, format="json")
    assert response.status_code == 400
    assert "note" in response.json()
    own.refresh_from_db()
    assert own.resolved_at is None


@pytest.mark.parametrize(
    ("role", "alert", "expected"),
    [
        ("operator", 1, 200),
        ("manager", 0, 200),
        ("manager", 1, 404),
        ("resident_member", 0, 403),
        ("outsider", 0, 404),
    ],
)
def test_each_role_reaches_exactly_the_alerts_it_may_see(request, two_alerts, api, role, alert, expected):
    client = api(request.getfixturevalue(role))
    target = two_alerts[alert]
    assert client.get(f"{ALERTS}{target.pk}/").status_code == expected
    handled = client.post(f"{ALERTS}{target.pk}/handled/", {"note": "Done"}, format="json")
    assert handled.status_code == expected
    target.refresh_from_db()
    assert (target.resolved_at is not None) == (expected == 200)


def test_a_resident_cannot_list_alerts_and_an_anonymous_caller_is_refused(two_alerts, api, resident_member, client):
    assert api(resident_member).get(ALERTS).status_code == 403
    assert client.get(ALERTS).status_code in (401, 403)


# At the same moment (PostgreSQL)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_dispute_delivered_from_several_threads_at_once_raises_one_alert_and_one_email(
    attempt, operator, stripe_settings
):
    from .test_online_concurrency import fire_at_once

    paid_event = event_for("checkout.session.completed.json", attempt)
    assert fire_at_once([paid_event]) == [200]
    mail.outbox.clear()
    events = [dispute_created(attempt, event_id=f"evt_dispute_race_{n}") for n in range(4)] * 2
    assert fire_at_once(events) == [200] * 8
    assert PaymentAlert.objects.count() == 1
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Disputed payment"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_failed_refund_delivered_from_several_threads_at_once_raises_one_alert_and_one_email(
    attempt, operator, stripe_settings
):
    from .test_online_concurrency import fire_at_once

    assert fire_at_once([event_for("checkout.session.completed.json", attempt)]) == [200]
    mail.outbox.clear()
    events = [refund_failed(attempt, event_id=f"evt_refund_race_{n}") for n in range(6)]
    assert fire_at_once(events) == [200] * 6
    assert PaymentAlert.objects.filter(kind=Kind.REFUND_FAILED).count() == 1
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Refund failed"]
