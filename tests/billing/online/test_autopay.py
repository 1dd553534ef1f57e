"""Autopay (issue 13, item 6): a resident saves a payment method with consent, the rent due each due date is charged
off-session once, failures are retried on Stripe's schedule and the resident told, and autopay turns off at any
time. Against the local Stripe stand-in; today is June 15, 2026 in the house (the billing fixtures)."""

import threading
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import TestCase

from billing.models import (
    Autopay,
    EntryKind,
    LedgerEntry,
    OnlinePayment,
    ResidentNotice,
    StripeCustomer,
    StripeEvent,
)
from billing.services.autopay import autopay_consent_text
from billing.services.autopay_charges import autopay_charges_run
from billing.services.ledger import charge_post
from billing.services.payments import payment_record
from tests.clock import local_moment

from .conftest import event_for

AUTOPAY = "/api/v1/payments/autopay/"
TODAY = date(2026, 6, 15)
INTENTS = "/v1/payment_intents"


def rent_due(operator, resident, amount="900.00", on=TODAY):
    return charge_post(actor=operator, resident=resident, kind="rent", amount=amount, memo="June rent", effective_on=on)


def autopay_on(resident, label="Visa ending 4242") -> Autopay:
    """Autopay as a completed setup leaves it: on, with the stand-in's saved card and the resident's customer."""
    StripeCustomer.objects.create(
        organization_id=resident.organization_id, resident=resident, customer_id="cus_standin0001"
    )
    return Autopay.objects.create(
        organization_id=resident.organization_id,
        resident=resident,
        status=Autopay.Status.ON,
        setup_session_id="cs_test_standin0001",
        payment_method_id="pm_standin_card",
        payment_method_label=label,
        consent_text=autopay_consent_text(resident=resident),
        consented_at=local_moment(2026, 6, 1, 9),
    )


def run(organization, on=TODAY):
    """The daily job, and what it leaves for after commit (the e-mails), as production runs them."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return autopay_charges_run(on=on, organization=organization)


def send(deliver, event):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return deliver(event)


def on_day(day: date, hour: int = 6):
    """The clock at ``hour`` on ``day`` in the house, when the daily job runs."""
    return time_machine.travel(local_moment(day.year, day.month, day.day, hour), tick=True)


def setup_completed(autopay: Autopay, **fields) -> dict:
    """Stripe's ``checkout.session.completed`` for the autopay's setup-mode session."""
    event = event_for("checkout.session.completed.json", event_id=f"evt_setup_{autopay.pk}")
    event["data"]["object"].update(
        mode="setup",
        payment_status="no_payment_required",
        payment_intent=None,
        setup_intent="seti_standin0001",
        amount_subtotal=None,
        amount_total=None,
        metadata={
            "organization_id": str(autopay.organization_id),
            "resident_id": str(autopay.resident_id),
            "autopay_id": str(autopay.pk),
        },
    )
    event["data"]["object"].update({"id": autopay.setup_session_id, **fields})
    return event


@pytest.fixture
def mailbox(mailoutbox):
    return mailoutbox


# Setting up, with consent


def test_without_consent_autopay_is_refused_and_nothing_is_written(api, resident_member, stripe_stand_in):
    response = api(resident_member).post(AUTOPAY, {"consent": False}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["consent"]
    assert not Autopay.objects.exists()
    assert stripe_stand_in.requests == []


def test_the_resident_sees_the_terms_before_agreeing(api, resident_member, member_resident, stripe_settings):
    body = api(resident_member).get(AUTOPAY).json()
    assert body["status"] == "none"
    assert body["terms"] == autopay_consent_text(resident=member_resident)
    assert "turn autopay off at any time" in body["terms"]
    assert "on each day my rent is due" in body["terms"]


def test_agreeing_records_the_terms_word_for_word_and_opens_a_setup_checkout(
    api, resident_member, member_resident, stripe_stand_in
):
    terms = autopay_consent_text(resident=member_resident)
    response = api(resident_member).post(AUTOPAY, {"consent": True, "consent_text": terms}, format="json")
    assert response.status_code == 201, response.content
    autopay = Autopay.objects.get()
    assert (autopay.status, autopay.consent_text, autopay.setup_session_id) == (
        "setting_up",
        terms,
        "cs_test_standin0001",
    )
    assert autopay.consented_at is not None
    assert response.json()["checkout_url"] == "https://checkout.stripe.com/c/pay/cs_test_standin0001"
    session = stripe_stand_in.last("/v1/checkout/sessions")
    form = session["form"]
    assert form["mode"] == "setup"
    assert form["customer"] == StripeCustomer.objects.get().customer_id
    assert (form["allowed_payment_method_types[0]"], form["allowed_payment_method_types[1]"]) == (
        "card",
        "us_bank_account",
    )
    assert form["metadata[autopay_id]"] == form["setup_intent_data[metadata][autopay_id]"] == str(autopay.pk)
    assert "line_items[0][quantity]" not in form
    assert session["headers"]["Idempotency-Key"].startswith(f"hearth-autopay-setup-{autopay.pk}-")


def test_terms_other_than_the_current_ones_are_refused(api, resident_member, stripe_stand_in):
    response = api(resident_member).post(AUTOPAY, {"consent": True, "consent_text": "Charge me."}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["consent_text"]
    assert not Autopay.objects.exists()


def test_the_setup_completes_through_the_signed_event(deliver, member_resident, stripe_stand_in):
    autopay = autopay_on(member_resident)
    Autopay.objects.filter(pk=autopay.pk).update(status="setting_up", payment_method_id="", payment_method_label="")
    response = deliver(setup_completed(autopay))
    assert response.status_code == 200, response.content
    autopay.refresh_from_db()
    assert (autopay.status, autopay.payment_method_id, autopay.payment_method_label) == (
        "on",
        "pm_standin_card",
        "Visa ending 4242",
    )
    assert stripe_stand_in.paths() == ["/v1/setup_intents/seti_standin0001", "/v1/payment_methods/pm_standin_card"]


def test_a_saved_bank_account_is_labelled_with_its_last_four_digits(deliver, member_resident, stripe_stand_in):
    stripe_stand_in.setup_method = "us_bank_account"
    autopay = autopay_on(member_resident)
    Autopay.objects.filter(pk=autopay.pk).update(status="setting_up", payment_method_id="")
    deliver(setup_completed(autopay))
    autopay.refresh_from_db()
    assert autopay.payment_method_label == "Bank account ending 6789 (STRIPE TEST BANK)"


def test_an_earlier_setup_session_does_not_replace_the_latest(deliver, member_resident, stripe_stand_in):
    autopay = autopay_on(member_resident)
    Autopay.objects.filter(pk=autopay.pk).update(status="setting_up", payment_method_id="")
    deliver(setup_completed(autopay, id="cs_test_older"))
    autopay.refresh_from_db()
    assert autopay.status == "setting_up"


def test_coming_back_from_stripe_turns_autopay_on_before_the_event_arrives(
    page, resident_member, member_resident, stripe_stand_in
):
    autopay = autopay_on(member_resident)
    Autopay.objects.filter(pk=autopay.pk).update(status="setting_up", payment_method_id="", payment_method_label="")
    response = page(resident_member).get(
        f"/portal/pay/autopay/return/?session_id={autopay.setup_session_id}", follow=True
    )
    autopay.refresh_from_db()
    assert autopay.status == "on"
    assert "Autopay is on: your rent will be charged to Visa ending 4242." in response.content.decode()


# Charging on the due date


def test_the_rent_due_today_is_charged_once_however_often_the_job_runs(operator, member_resident, stripe_stand_in):
    rent_due(operator, member_resident)
    autopay_on(member_resident)
    run(member_resident.organization)
    run(member_resident.organization)
    run(member_resident.organization)
    charge = OnlinePayment.objects.get()
    assert (charge.source, charge.due_on, charge.amount, charge.attempts) == ("autopay", TODAY, Decimal("900.00"), 1)
    assert stripe_stand_in.paths() == [INTENTS]
    request = stripe_stand_in.last(INTENTS)
    form = request["form"]
    assert (form["amount"], form["currency"], form["customer"], form["payment_method"]) == (
        "90000",
        "usd",
        "cus_standin0001",
        "pm_standin_card",
    )
    assert (form["off_session"], form["confirm"]) == ("true", "true")
    assert (form["metadata[online_payment_id]"], form["metadata[autopay_attempt]"]) == (str(charge.pk), "1")
    assert request["headers"]["Idempotency-Key"].startswith(f"hearth-autopay-{charge.pk}-1-")
    assert charge.payment_intent_id == "pi_standin0001"


def test_the_charge_is_what_is_still_open_of_that_rent(operator, member_resident, stripe_stand_in):
    payment_record(actor=operator, resident=member_resident, method="cash", amount="300.00", received_on=TODAY)
    rent_due(operator, member_resident)
    autopay_on(member_resident)
    run(member_resident.organization)
    assert OnlinePayment.objects.get().amount == Decimal("600.00")


def test_the_charge_never_passes_the_online_maximum(operator, member_resident, stripe_stand_in, settings):
    settings.ONLINE_PAYMENT_MAX = Decimal("500.00")
    rent_due(operator, member_resident)
    autopay_on(member_resident)
    run(member_resident.organization)
    assert OnlinePayment.objects.get().amount == Decimal("500.00")


def test_nothing_is_charged_without_rent_due_that_day(operator, member_resident, stripe_stand_in):
    rent_due(operator, member_resident, on=TODAY - timedelta(days=1))
    autopay_on(member_resident)
    run(member_resident.organization)
    assert not OnlinePayment.objects.exists()
    assert stripe_stand_in.requests == []


def test_the_succeeded_event_credits_the_ledger_once_with_a_receipt(
    deliver, operator, member_resident, stripe_stand_in
):
    rent_due(operator, member_resident)
    autopay_on(member_resident)
    run(member_resident.organization)
    charge = OnlinePayment.objects.get()
    event = event_for("payment_intent.succeeded.json", charge, id=charge.payment_intent_id)
    assert deliver(event).status_code == 200
    assert deliver(event).status_code == 200
    charge.refresh_from_db()
    assert charge.status == "succeeded"
    payments = LedgerEntry.objects.filter(resident=member_resident, kind=EntryKind.PAYMENT)
    assert [entry.amount for entry in payments] == [Decimal("-900.00")]
    assert charge.payment.receipt_number is not None
    assert charge.payment.entry == payments.get()


def test_an_autopay_charge_that_succeeds_emails_one_receipt(
    deliver, operator, member_resident, stripe_stand_in, django_capture_on_commit_callbacks
):
    from django.core import mail

    from billing.models import ResidentNotice

    member_resident.email = "autopay@example.com"
    member_resident.save(update_fields=["email"])
    rent_due(operator, member_resident)
    autopay_on(member_resident)
    run(member_resident.organization)
    charge = OnlinePayment.objects.get()
    event = event_for("payment_intent.succeeded.json", charge, id=charge.payment_intent_id)
    for _delivery in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert deliver(event).status_code == 200
    charge.refresh_from_db()
    notice = ResidentNotice.objects.get(kind=ResidentNotice.Kind.RECEIPT)
    assert notice.online_payment == charge
    [message] = mail.outbox
    assert message.to == ["autopay@example.com"]
    assert str(charge.payment.receipt_number) in message.body


@pytest.mark.django_db(transaction=True)
def test_the_charge_is_committed_before_stripe_is_called(operator, member_resident, stripe_stand_in):
    rent_due(operator, member_resident)
    autopay_on(member_resident)
    seen = []

    def look(path, form):
        if path == INTENTS:
            try:  # the stand-in's own connection sees only what was committed
                seen.append(list(OnlinePayment.objects.values_list("status", "attempts")))
            finally:
                connection.close()

    stripe_stand_in.on_request = look
    run(member_resident.organization)
    assert seen == [[("created", 1)]]


def test_a_bank_debit_shows_as_pending_until_it_settles(operator, member_resident, stripe_stand_in):
    stripe_stand_in.intent_outcome = "processing"
    rent_due(operator, member_resident)
    autopay_on(member_resident)
    run(member_resident.organization)
    charge = OnlinePayment.objects.get()
    assert (charge.status, charge.payment.status, charge.payment_method_type) == (
        "pending",
        "pending",
        "us_bank_account",
    )


# Failures and retries


def test_a_declined_charge_is_retried_3_5_and_7_days_later_and_the_resident_is_told_each_time(
    operator, member_resident, stripe_stand_in, mailbox
):
    stripe_stand_in.intent_outcome = "requires_payment_method"
    rent_due(operator, member_resident)
    autopay_on(member_resident)
    organization = member_resident.organization
    tried_on = [TODAY]
    run(organization)
    for gap in (3, 5, 7):
        day = tried_on[-1] + timedelta(days=gap)
        charge = OnlinePayment.objects.get()
        assert charge.next_attempt_at == datetime.combine(day, time.min, tzinfo=organization.tzinfo)
        with on_day(day - timedelta(days=1)):
            run(organization, on=day - timedelta(days=1))  # the day before: not yet
        assert len(stripe_stand_in.paths()) == len(tried_on)
        with on_day(day):
            run(organization, on=day)
        tried_on.append(day)
    charge = OnlinePayment.objects.get()
    assert (charge.status, charge.attempts, charge.next_attempt_at) == ("failed", 4, None)
    assert stripe_stand_in.paths() == [INTENTS] * 4
    keys = [request["headers"]["Idempotency-Key"].split("-")[3] for request in stripe_stand_in.requests]
    assert keys == ["1", "2", "3", "4"]
    assert list(ResidentNotice.objects.order_by("attempt").values_list("kind", "attempt")) == [
        ("autopay_failed", 1),
        ("autopay_failed", 2),
        ("autopay_failed", 3),
        ("autopay_failed", 4),
    ]
    assert len(mailbox) == 4
    assert "We will try again on Thursday, June 18" in mailbox[0].body
    assert "there was not enough money in the account" in mailbox[0].body
    assert "We will not try again" in mailbox[3].body
    assert mailbox[0].to == [member_resident.email or member_resident.membership.user.email]


def test_a_failure_reported_by_stripe_twice_is_told_once(deliver, operator, member_resident, stripe_stand_in, mailbox):
    stripe_stand_in.intent_outcome = "requires_payment_method"
    rent_due(operator, member_resident)
    autopay_on(member_resident)
    run(member_resident.organization)
    charge = OnlinePayment.objects.get()
    event = event_for("payment_intent.payment_failed.json", charge, id=charge.payment_intent_id)
    event["data"]["object"]["metadata"]["autopay_attempt"] = "1"
    assert send(deliver, event).status_code == 200
    assert len(mailbox) == 1
    assert ResidentNotice.objects.count() == 1


def test_a_charge_needing_the_residents_own_confirmation_is_not_retried_and_they_are_asked_to_pay_in_the_portal(
    operator, member_resident, stripe_stand_in, mailbox
):
    stripe_stand_in.intent_outcome = "authentication_required"
    rent_due(operator, member_resident)
    autopay_on(member_resident)
    run(member_resident.organization)
    charge = OnlinePayment.objects.get()
    assert (charge.status, charge.next_attempt_at) == ("failed", None)
    assert "Please pay in the resident portal" in mailbox[0].body
    assert "/portal/pay/" in mailbox[0].body


def test_a_bank_debit_returned_days_later_is_retried(deliver, operator, member_resident, stripe_stand_in, mailbox):
    stripe_stand_in.intent_outcome = "processing"
    rent_due(operator, member_resident)
    autopay_on(member_resident)
    run(member_resident.organization)
    charge = OnlinePayment.objects.get()
    event = event_for("payment_intent.payment_failed.json", charge, id=charge.payment_intent_id)
    event["data"]["object"]["last_payment_error"] = {"code": "insufficient_funds", "message": "Insufficient funds."}
    send(deliver, event)
    charge.refresh_from_db()
    assert (charge.status, charge.payment.status) == ("failed", "failed")
    assert charge.next_attempt_at.date() == TODAY + timedelta(days=3)
    told = [mail for mail in mailbox if mail.subject.startswith("Your rent autopay did not go through")]
    assert len(told) == 1  # (staff are told of a failed bank debit too, by their own e-mail)


def test_no_retry_once_the_rent_was_paid_another_way(operator, member_resident, stripe_stand_in, mailbox):
    stripe_stand_in.intent_outcome = "requires_payment_method"
    rent_due(operator, member_resident)
    autopay_on(member_resident)
    run(member_resident.organization)
    payment_record(actor=operator, resident=member_resident, method="cash", amount="900.00", received_on=TODAY)
    day = TODAY + timedelta(days=3)
    with on_day(day):
        run(member_resident.organization, on=day)
    charge = OnlinePayment.objects.get()
    assert (charge.status, charge.attempts, charge.next_attempt_at) == ("failed", 1, None)
    assert "paid another way" in charge.failure_message
    assert stripe_stand_in.paths() == [INTENTS]


# Turning off


def test_turning_autopay_off_stops_charges_and_retries(
    api, operator, resident_member, member_resident, stripe_stand_in
):
    stripe_stand_in.intent_outcome = "requires_payment_method"
    rent_due(operator, member_resident)
    autopay_on(member_resident)
    run(member_resident.organization)
    response = api(resident_member).delete(AUTOPAY)
    assert response.status_code == 200
    assert response.json()["status"] == "off"
    charge = OnlinePayment.objects.get()
    assert charge.next_attempt_at is None
    july = date(2026, 7, 1)
    with on_day(july):
        rent_due(operator, member_resident, on=july)
        run(member_resident.organization, on=july)
    assert OnlinePayment.objects.count() == 1
    assert stripe_stand_in.paths() == [INTENTS]


def test_turning_off_twice_changes_nothing_the_second_time(api, resident_member, member_resident, stripe_settings):
    autopay_on(member_resident)
    api(resident_member).delete(AUTOPAY)
    first = Autopay.objects.get().turned_off_at
    assert api(resident_member).delete(AUTOPAY).status_code == 200
    assert Autopay.objects.get().turned_off_at == first


# Who may use it


@pytest.mark.parametrize("role", ["operator", "manager", "outsider"])
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_only_the_resident_reaches_their_autopay(request, api, role, method, member_resident, stripe_stand_in):
    autopay_on(member_resident)
    member = request.getfixturevalue(role)
    response = getattr(api(member), method)(AUTOPAY, {"consent": True}, format="json")
    assert response.status_code == 403
    assert Autopay.objects.get().status == "on"
    assert stripe_stand_in.requests == []


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_anonymous_caller_cannot_reach_autopay(client, method, member_resident, stripe_stand_in):
    autopay_on(member_resident)
    response = getattr(client, method)(AUTOPAY, {"consent": True}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert Autopay.objects.get().status == "on"


def test_a_resident_without_autopay_has_nothing_to_turn_off(api, resident_member, stripe_settings):
    response = api(resident_member).delete(AUTOPAY)
    assert response.status_code == 404
    assert not Autopay.objects.exists()


def test_without_the_look_up_the_payment_method_is_fetched_right_after_commit(member_resident, stripe_stand_in):
    from billing.services.autopay import autopay_setup_event

    autopay = autopay_on(member_resident)
    Autopay.objects.filter(pk=autopay.pk).update(status="setting_up", payment_method_id="", payment_method_label="")
    row = StripeEvent(id="evt_setup", type="checkout.session.completed", payload={})
    with TestCase.captureOnCommitCallbacks(execute=False) as later:
        outcome = autopay_setup_event(session=setup_completed(autopay)["data"]["object"], row=row)
    assert (outcome.status, stripe_stand_in.requests) == ("handled", [])
    for callback in later:
        callback()
    assert Autopay.objects.get().payment_method_label == "Visa ending 4242"


def test_the_resident_reads_back_that_autopay_is_on_and_with_what(
    api, resident_member, member_resident, stripe_settings
):
    autopay_on(member_resident)
    body = api(resident_member).get(AUTOPAY).json()
    assert (body["status"], body["payment_method_label"], body["available"]) == ("on", "Visa ending 4242", True)
    assert body["consent_text"] == body["terms"]


def test_staff_see_on_the_residents_page_that_autopay_is_on(page, manager, member_resident, stripe_settings):
    autopay_on(member_resident)
    html = page(manager).get(f"/dashboard/residents/{member_resident.pk}/").content.decode()
    assert "<dt>Autopay</dt><dd>On · Visa ending 4242</dd>" in html


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_charge_the_rent_once(operator, member_resident, stripe_stand_in):
    rent_due(operator, member_resident)
    autopay_on(member_resident)
    organization = member_resident.organization
    barrier = threading.Barrier(4)
    errors = []

    def job():
        try:
            barrier.wait()
            autopay_charges_run(on=TODAY, organization=organization)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert OnlinePayment.objects.get().attempts == 1
    assert stripe_stand_in.paths() == [INTENTS]


def test_a_try_cut_off_before_stripe_answered_is_sent_again_with_the_same_key(
    operator, member_resident, stripe_stand_in
):
    from billing.services.autopay_charges import _claim

    rent_due(operator, member_resident)
    autopay_on(member_resident)
    run(member_resident.organization)
    charge = OnlinePayment.objects.get()
    OnlinePayment.objects.filter(pk=charge.pk).update(payment_intent_id=None)  # as if the job died mid-call
    assert _claim(charge.pk, now=charge.updated_at) is None  # not yet: it may still be on its way
    day = TODAY + timedelta(days=1)
    with on_day(day):
        run(member_resident.organization, on=day)
    first, again = stripe_stand_in.requests
    assert first["headers"]["Idempotency-Key"] == again["headers"]["Idempotency-Key"]
    assert OnlinePayment.objects.get().attempts == 1


def test_a_setup_left_unfinished_changes_nothing(deliver, member_resident, stripe_stand_in):
    autopay = autopay_on(member_resident)
    Autopay.objects.filter(pk=autopay.pk).update(status="setting_up", payment_method_id="")
    event = setup_completed(autopay, status="expired", setup_intent=None)
    event["type"] = "checkout.session.expired"
    assert deliver(event).status_code == 200
    assert Autopay.objects.get().status == "setting_up"
    assert StripeEvent.objects.get(pk=event["id"]).status == "handled"
    assert stripe_stand_in.requests == []


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "consent"), ({"consent": "maybe"}, "consent"), ({"consent": True, "amount": "10"}, "amount")],
)
def test_bad_setup_input_is_refused_with_the_field_at_fault(api, resident_member, stripe_stand_in, body, field):
    response = api(resident_member).post(AUTOPAY, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Autopay.objects.exists()


def test_a_bank_account_verified_after_the_setup_turns_autopay_on(deliver, member_resident, stripe_stand_in):
    from .stand_in_autopay import retrieve_setup_intent

    stripe_stand_in.setup_method = "us_bank_account"
    autopay = autopay_on(member_resident)
    Autopay.objects.filter(pk=autopay.pk).update(status="setting_up", payment_method_id="", payment_method_label="")
    _status, setup_intent = retrieve_setup_intent(stripe_stand_in, {}, {"id": "seti_standin0001"})
    setup_intent["metadata"] = {"organization_id": str(autopay.organization_id), "autopay_id": str(autopay.pk)}
    event = event_for("payment_intent.succeeded.json", event_id="evt_setup_intent_succeeded")
    event["type"] = "setup_intent.succeeded"
    event["data"]["object"] = setup_intent
    assert send(deliver, event).status_code == 200
    autopay.refresh_from_db()
    assert (autopay.status, autopay.payment_method_label) == ("on", "Bank account ending 6789 (STRIPE TEST BANK)")


def test_a_method_saved_before_the_organization_moved_to_its_own_stripe_account_stops_autopay(
    settings, operator, member_resident, stripe_stand_in, mailoutbox
):
    from billing.models import StripeAccount

    rent_due(operator, member_resident)
    autopay = autopay_on(member_resident)  # saved on the platform's account
    settings.STRIPE_CONNECT = True
    StripeAccount.objects.create(
        organization=member_resident.organization, account_id="acct_1HouseOwn", charges_enabled=True
    )
    run(member_resident.organization)
    assert stripe_stand_in.paths() == []  # the method cannot be charged on the new account: nothing is sent
    charge = OnlinePayment.objects.get()
    autopay.refresh_from_db()
    assert (charge.status, charge.next_attempt_at, autopay.status) == ("failed", None, "off")
    assert "no longer available" in mailoutbox[0].body


def test_one_charge_that_fails_unexpectedly_does_not_stop_the_others(
    operator, member_resident, other_resident, stripe_stand_in, monkeypatch
):
    from billing.services import autopay_charges

    other = other_resident
    for resident in (member_resident, other):
        rent_due(operator, resident)
    autopay_on(member_resident)
    Autopay.objects.create(
        organization_id=other.organization_id, resident=other, status=Autopay.Status.ON,
        payment_method_id="pm_standin_card", consent_text="…", consented_at=local_moment(2026, 6, 1, 9),
    )  # fmt: skip
    StripeCustomer.objects.create(organization_id=other.organization_id, resident=other, customer_id="cus_other")
    real = autopay_charges._intent_params

    def broken_for_the_first(op, **kwargs):
        if op.resident_id == member_resident.pk:
            raise RuntimeError("a bug")
        return real(op, **kwargs)

    monkeypatch.setattr(autopay_charges, "_intent_params", broken_for_the_first)
    run(member_resident.organization)
    assert [request["form"]["customer"] for request in stripe_stand_in.requests] == ["cus_other"]
