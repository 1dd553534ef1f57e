"""A receipt e-mail for every online payment, once its money has arrived: once per payment, however many times Stripe
delivers the events, and also to residents who turned rent reminders off."""

import pytest
from django.core import mail

from billing.models import ResidentNotice
from billing.services.rent_notices import receipt_send, reminders_set

from .conftest import event_for


@pytest.fixture
def arrive(deliver, django_capture_on_commit_callbacks):
    """Delivers the events and runs what each leaves for after its commit, as in production."""

    def run(*events):
        for event in events:
            with django_capture_on_commit_callbacks(execute=True):
                assert deliver(event).status_code == 200

    return run


def receipts():
    return ResidentNotice.objects.filter(kind=ResidentNotice.Kind.RECEIPT)


def test_a_card_payment_brings_one_receipt_email(arrive, attempt, owing):
    arrive(event_for("checkout.session.completed.json", attempt))
    [notice] = receipts()
    assert (notice.online_payment, notice.resident, notice.email) == (attempt, owing, owing.email)
    [message] = mail.outbox
    assert message.to == [owing.email]
    assert message.subject == "Second Wind: Receipt for your payment of $500.00"
    attempt.refresh_from_db()
    assert "We received your online payment of $500.00 by card on June 15, 2026." in message.body
    assert f"Receipt number: {attempt.payment.receipt_number}" in message.body
    assert f"/billing/receipts/{attempt.payment.pk}/" in message.body
    assert "Your balance is now $400.00." in message.body
    assert "/portal/pay/reminders/" not in message.body  # a receipt is not a reminder


def test_a_redelivered_event_sends_no_second_receipt(arrive, attempt, owing):
    event = event_for("checkout.session.completed.json", attempt)
    arrive(event, event, event_for("payment_intent.succeeded.json", attempt))
    assert receipts().count() == 1
    assert len(mail.outbox) == 1


def test_asking_for_a_receipt_again_sends_nothing(arrive, attempt, owing):
    arrive(event_for("checkout.session.completed.json", attempt))
    assert receipt_send(online_payment_id=attempt.pk) is None
    assert len(mail.outbox) == 1


def test_a_bank_debit_brings_its_receipt_when_it_settles_not_while_pending(arrive, attempt, owing):
    arrive(event_for("checkout.session.completed.unpaid_ach.json", attempt))
    assert receipts().count() == 0
    arrive(event_for("checkout.session.async_payment_succeeded.json", attempt))
    [message] = mail.outbox
    assert "by bank debit" in message.body


def test_a_failed_bank_debit_brings_no_receipt(arrive, attempt, owing):
    arrive(
        event_for("checkout.session.completed.unpaid_ach.json", attempt),
        event_for("checkout.session.async_payment_failed.json", attempt),
    )
    assert receipts().count() == 0
    assert not [message for message in mail.outbox if owing.email in message.to]


def test_a_resident_who_turned_reminders_off_still_gets_receipts(arrive, attempt, owing):
    reminders_set(resident=owing, wanted=False)
    arrive(event_for("checkout.session.completed.json", attempt))
    assert receipts().count() == 1
    assert [message.to for message in mail.outbox] == [[owing.email]]


def test_a_resident_without_an_email_address_gets_no_receipt(arrive, attempt, owing, resident_member):
    owing.email = ""
    owing.save(update_fields=["email"])
    resident_member.user.email = ""
    resident_member.user.save(update_fields=["email"])
    arrive(event_for("checkout.session.completed.json", attempt))
    assert receipts().count() == 0
    attempt.refresh_from_db()
    assert attempt.status == "succeeded"  # the payment itself is unaffected


def test_a_mail_server_that_refuses_does_not_fail_the_webhook_and_the_receipt_can_go_later(
    arrive, attempt, owing, monkeypatch
):
    from django.core.mail import EmailMessage

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as patched:
        patched.setattr(EmailMessage, "send", refuse)
        arrive(event_for("checkout.session.completed.json", attempt))
    attempt.refresh_from_db()
    assert attempt.status == "succeeded"
    assert receipts().count() == 0
    assert receipt_send(online_payment_id=attempt.pk) is not None
    assert len(mail.outbox) == 1
