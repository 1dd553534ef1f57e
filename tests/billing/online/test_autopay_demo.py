"""The demo shows an autopay resident: autopay on with a Visa ending 4242 and their consent recorded, their last rent
charged by autopay on its due date and credited through Stripe's event, with its receipt."""

from billing.models import Autopay, EntryKind, LedgerEntry, OnlinePayment, StripeEvent
from demo.seed import ORGANIZATIONS


def _autopay():
    return Autopay.objects.select_related("resident", "organization").get(organization__slug=ORGANIZATIONS[0]["slug"])


def test_the_first_organization_has_a_resident_with_autopay_on_and_their_consent(demo_db):
    autopay = _autopay()
    assert (autopay.status, autopay.payment_method_label) == ("on", "Visa ending 4242")
    assert "I authorize Second Wind Recovery Homes to charge" in autopay.consent_text
    assert "turn autopay off at any time" in autopay.consent_text
    assert autopay.consented_at is not None


def test_the_autopay_residents_last_rent_was_charged_by_autopay_on_its_due_date_with_a_receipt(demo_db):
    autopay = _autopay()
    last_rent = (
        LedgerEntry.objects.live()
        .filter(resident=autopay.resident, kind=EntryKind.RENT)
        .order_by("-effective_on", "-pk")
        .first()
    )
    charge = OnlinePayment.objects.get(resident=autopay.resident, source="autopay", due_on=last_rent.effective_on)
    assert charge.status == "succeeded"
    assert charge.amount == last_rent.amount
    assert charge.payment.receipt_number is not None
    assert charge.payment.entry.effective_on == last_rent.effective_on
    event = StripeEvent.objects.get(online_payment=charge)
    assert (event.type, event.status) == ("payment_intent.succeeded", "handled")


def test_autopay_leaves_no_late_fee_on_the_rent_it_paid(demo_db):
    autopay = _autopay()
    paid = OnlinePayment.objects.filter(resident=autopay.resident, source="autopay").values_list("due_on", flat=True)
    assert paid
    fees = LedgerEntry.objects.filter(
        resident=autopay.resident, kind=EntryKind.LATE_FEE, for_charge__effective_on__in=list(paid)
    )
    assert not fees.exists()
