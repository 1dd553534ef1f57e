"""Fair late fees: a bank debit started within the grace days holds the late fee off while it is pending; if it
fails, the fee is assessed then, dated the day it would have been. Events are Stripe's real payloads, signed and
delivered to the webhook, in every order Stripe may send them, on the days they arrive (June's rent of $900 is due
June 1, 5 grace days: late from June 7)."""

from datetime import date
from decimal import Decimal
from itertools import permutations

import pytest
import time_machine

from billing.models import EntryKind, LateFeeKind, LedgerEntry, OnlinePayment
from billing.selectors.balances import balance_of
from billing.services.late_fees import late_fees_after_failed_payment, late_fees_assess
from billing.services.rent import rent_post_due
from reports.metrics import Month
from reports.services import month_close
from tests.billing.conftest import make_policy
from tests.clock import local_moment
from tests.factories import admit

from .conftest import event_for

Status = OnlinePayment.Status
LATE_DATE = date(2026, 6, 7)
COMPLETED_UNPAID = "checkout.session.completed.unpaid_ach.json"
PROCESSING = "payment_intent.processing.json"
ASYNC_FAILED = "checkout.session.async_payment_failed.json"
ASYNC_SUCCEEDED = "checkout.session.async_payment_succeeded.json"
INTENT_FAILED = "payment_intent.payment_failed.json"
INTENT_SUCCEEDED = "payment_intent.succeeded.json"
BANK = {"payment_method_types": ["us_bank_account"]}
BOUNCED = BANK | {"last_payment_error": {"type": "invalid_request_error", "code": "insufficient_funds"}}


def june(day: int) -> date:
    return date(2026, 6, day)


@pytest.fixture
def rent(house):
    """June's rent of $900 (the resident moved in June 1) in a house with a flat $25 late fee after 5 grace days."""
    make_policy(house, late_fee_kind=LateFeeKind.FLAT, late_fee_amount=Decimal("25.00"), late_fee_grace_days=5)
    stay = admit(house, june(1))
    rent_post_due(on=june(1))
    return LedgerEntry.objects.get(stay=stay, kind=EntryKind.RENT)


def debit(rent, *, started: date, hour: int = 20, amount: str = "900.00", tag: str = "a") -> OnlinePayment:
    """A checkout the resident started on ``started`` (their time), as the checkout service leaves it."""
    stay = rent.stay
    at = local_moment(started.year, started.month, started.day, hour, 30)
    return OnlinePayment.objects.create(
        organization_id=stay.organization_id,
        resident_id=stay.resident_id,
        stay=stay,
        house_id=stay.house_id,
        amount=Decimal(amount),
        currency="usd",
        checkout_session_id=f"cs_test_fair_{tag}_{started:%m%d}",
        created_at=at,
        updated_at=at,
    )


@pytest.fixture
def arrive(deliver, django_capture_on_commit_callbacks):
    """``arrive(day, op, name, ...)``: Stripe delivers these events on June ``day``, in this order, and what each
    leaves for after its commit (the late fees a failure releases) runs, as in production."""

    def run(day: int, op: OnlinePayment, *names: str | tuple[str, dict]):
        with time_machine.travel(local_moment(2026, 6, day, 9), tick=True):
            for item in names:
                name, fields = item if isinstance(item, tuple) else (item, {})
                with django_capture_on_commit_callbacks(execute=True):
                    response = deliver(event_for(name, op, event_id=f"evt_{name}_{op.pk}", **fields))
                assert response.status_code == 200, response.content

    return run


def assess(*days: int) -> None:
    """The daily late-fee job, run on each of these June days."""
    for day in days:
        with time_machine.travel(local_moment(2026, 6, day, 5), tick=True):
            late_fees_assess(on=june(day))


def fees(rent) -> list[tuple[date, Decimal]]:
    return list(
        LedgerEntry.objects.filter(for_charge=rent, kind=EntryKind.LATE_FEE).values_list("effective_on", "amount")
    )


def status_of(op) -> str:
    op.refresh_from_db()
    return op.status


# Held off while pending


def test_a_bank_debit_pending_since_the_grace_days_holds_off_the_late_fee(rent, arrive):
    op = debit(rent, started=june(5))
    arrive(5, op, COMPLETED_UNPAID)
    assess(7, 8, 9)
    assert status_of(op) == Status.PENDING
    assert fees(rent) == []


def test_a_debit_started_on_the_last_grace_day_late_in_the_evening_still_counts(rent, arrive):
    op = debit(rent, started=june(6), hour=23)  # 11:30 p.m. in Chicago is already June 7 in UTC
    arrive(7, op, PROCESSING)
    assess(7)
    assert fees(rent) == []


def test_a_bank_debit_started_after_the_grace_days_does_not_hold_off_the_fee(rent, arrive):
    op = debit(rent, started=june(7), hour=1)
    arrive(7, op, COMPLETED_UNPAID)
    assess(7)
    assert fees(rent) == [(LATE_DATE, Decimal("25.00"))]


def test_a_checkout_opened_but_never_completed_holds_nothing_off(rent):
    debit(rent, started=june(4))
    assess(7)
    assert fees(rent) == [(LATE_DATE, Decimal("25.00"))]


def test_a_pending_debit_for_part_of_the_rent_leaves_a_percent_fee_on_the_rest(house, arrive):
    make_policy(house, late_fee_kind=LateFeeKind.PERCENT, late_fee_percent=Decimal("10"), late_fee_grace_days=5)
    stay = admit(house, june(1))
    rent_post_due(on=june(1))
    rent = LedgerEntry.objects.get(stay=stay, kind=EntryKind.RENT)
    op = debit(rent, started=june(3), amount="600.00")
    arrive(3, op, PROCESSING)
    assess(7)
    # $300 is left open by the $600 on its way: 10% of it.
    assert fees(rent) == [(LATE_DATE, Decimal("30.00"))]


def test_a_pending_debit_for_part_of_the_rent_does_not_spare_a_flat_fee(rent, arrive):
    op = debit(rent, started=june(3), amount="600.00")
    arrive(3, op, PROCESSING)
    assess(7)
    assert fees(rent) == [(LATE_DATE, Decimal("25.00"))]


# Settled: never a fee


@pytest.mark.parametrize("first", [COMPLETED_UNPAID, PROCESSING])
@pytest.mark.parametrize(
    "rest", list(permutations([COMPLETED_UNPAID, (ASYNC_SUCCEEDED, {}), (INTENT_SUCCEEDED, BANK)])), ids=str
)
def test_a_debit_that_settles_after_the_late_date_never_brings_a_fee_in_any_order(rent, arrive, first, rest):
    op = debit(rent, started=june(5))
    arrive(5, op, first)
    assess(7, 8)
    arrive(9, op, *rest)
    assess(9, 10, 14)
    assert status_of(op) == Status.SUCCEEDED
    assert fees(rent) == []
    assert balance_of(rent.resident_id) == Decimal("0.00")


def test_a_debit_that_succeeds_without_a_processing_event_within_grace_brings_no_fee(rent, arrive):
    op = debit(rent, started=june(5))
    arrive(5, op, ASYNC_SUCCEEDED)
    assess(7)
    assert fees(rent) == []


# Failed: the fee, dated as it would have been


def test_a_debit_that_fails_after_the_late_date_brings_the_fee_dated_on_the_late_date(rent, arrive):
    op = debit(rent, started=june(5))
    arrive(5, op, PROCESSING)
    assess(7, 8, 9)
    arrive(10, op, (INTENT_FAILED, BOUNCED))
    assert status_of(op) == Status.FAILED
    assert fees(rent) == [(LATE_DATE, Decimal("25.00"))]
    fee = LedgerEntry.objects.get(for_charge=rent, kind=EntryKind.LATE_FEE)
    assert fee.memo == (
        "Late fee: rent due Jun 1, 2026 unpaid after 5 grace days (flat fee); held off while a bank debit started "
        "Jun 5 was pending, until it failed"
    )


def test_completed_unpaid_then_async_payment_failed_after_the_late_date_brings_the_fee(rent, arrive):
    op = debit(rent, started=june(4))
    arrive(4, op, COMPLETED_UNPAID)
    assess(7)
    arrive(11, op, ASYNC_FAILED)
    assert fees(rent) == [(LATE_DATE, Decimal("25.00"))]


def test_a_debit_failing_within_the_grace_days_leaves_the_fee_to_the_daily_job(rent, arrive):
    op = debit(rent, started=june(2))
    arrive(2, op, PROCESSING)
    arrive(4, op, ASYNC_FAILED)
    assert fees(rent) == []  # not late yet
    assess(7)
    assert fees(rent) == [(LATE_DATE, Decimal("25.00"))]


@pytest.mark.parametrize(
    "rest",
    list(permutations([COMPLETED_UNPAID, PROCESSING, (ASYNC_FAILED, {}), (INTENT_FAILED, BOUNCED)])),
    ids=str,
)
def test_every_order_of_a_failing_debits_events_ends_with_one_fee_on_the_late_date(rent, arrive, rest):
    op = debit(rent, started=june(5))
    arrive(5, op, PROCESSING)  # pending when the job first finds the rent late
    assess(7, 8)
    arrive(9, op, *[item for item in rest if item != PROCESSING], PROCESSING)  # processing redelivered last
    assess(9, 10)
    assert status_of(op) == Status.FAILED
    assert fees(rent) == [(LATE_DATE, Decimal("25.00"))]


def test_a_failure_that_arrives_before_processing_is_not_undone_by_it(rent, arrive):
    op = debit(rent, started=june(5))
    arrive(5, op, COMPLETED_UNPAID)
    assess(7)
    arrive(9, op, ASYNC_FAILED, PROCESSING)
    assert status_of(op) == Status.FAILED
    assert fees(rent) == [(LATE_DATE, Decimal("25.00"))]


def test_an_intent_failure_before_its_processing_event_holds_until_the_checkout_says_it_failed(rent, arrive):
    op = debit(rent, started=june(5))
    arrive(5, op, (INTENT_FAILED, BOUNCED), PROCESSING)  # the decline came first: the checkout stays open
    assess(7)
    assert fees(rent) == []
    arrive(9, op, ASYNC_FAILED)
    assert fees(rent) == [(LATE_DATE, Decimal("25.00"))]


def test_a_checkout_that_closed_unpaid_without_ever_pending_releases_nothing(rent, arrive):
    op = debit(rent, started=june(5))
    arrive(9, op, ASYNC_FAILED)  # the job has not run since June 1 here: nothing was held, nothing is released
    assert status_of(op) == Status.FAILED
    assert fees(rent) == []


def test_a_redelivered_failure_posts_no_second_fee(rent, arrive, deliver):
    op = debit(rent, started=june(5))
    arrive(5, op, PROCESSING)
    assess(7)
    arrive(9, op, ASYNC_FAILED)
    arrive(9, op, ASYNC_FAILED)
    late_fees_after_failed_payment(online_payment_id=op.pk)
    assert fees(rent) == [(LATE_DATE, Decimal("25.00"))]


def test_a_debit_failing_after_the_job_stopped_looking_back_still_brings_the_fee(rent, arrive):
    op = debit(rent, started=june(5))
    arrive(5, op, PROCESSING)
    assess(*range(7, 15))
    arrive(15, op, ASYNC_FAILED)  # eight days after the late date: the daily job no longer looks at June's rent
    assert fees(rent) == [(LATE_DATE, Decimal("25.00"))]


def test_another_debit_still_pending_keeps_holding_when_one_fails(rent, arrive):
    first, second = debit(rent, started=june(4), tag="a"), debit(rent, started=june(5), tag="b")
    arrive(5, first, PROCESSING)
    other_intent = {"payment_intent": "pi_test_second_debit"}  # a debit of its own
    arrive(5, second, (COMPLETED_UNPAID, other_intent))
    assess(7)
    arrive(9, first, ASYNC_FAILED)
    assert fees(rent) == []
    arrive(10, second, (ASYNC_FAILED, other_intent))
    assert fees(rent) == [(LATE_DATE, Decimal("25.00"))]


def test_a_failed_debit_does_not_fine_rent_paid_in_the_meantime(rent, arrive, operator):
    from billing.services.payments import payment_record

    op = debit(rent, started=june(5))
    arrive(5, op, PROCESSING)
    assess(7)
    with time_machine.travel(local_moment(2026, 6, 8), tick=True):
        payment_record(actor=operator, resident=rent.resident, method="cash", amount="900", received_on=june(8))
    arrive(10, op, ASYNC_FAILED)
    assert fees(rent) == []


def test_a_fee_released_into_a_closed_month_posts_on_the_first_open_day(organization, operator, house, arrive):
    make_policy(house, late_fee_kind=LateFeeKind.FLAT, late_fee_amount=Decimal("25.00"), late_fee_grace_days=5)
    stay = admit(house, date(2026, 5, 1), actor=operator)
    rent_post_due(on=date(2026, 5, 1))
    may_rent = LedgerEntry.objects.get(stay=stay, kind=EntryKind.RENT, effective_on=date(2026, 5, 1))
    op = debit(may_rent, started=date(2026, 5, 5))
    with time_machine.travel(local_moment(2026, 5, 5, 21), tick=True):
        late_fees_assess(on=date(2026, 5, 5))
    arrive(1, op, PROCESSING)  # June 1: Stripe's word on a debit started May 5 (held since then)
    op.refresh_from_db()
    with time_machine.travel(local_moment(2026, 5, 7, 5), tick=True):
        late_fees_assess(on=date(2026, 5, 7))
    month_close(actor=operator, organization=organization, month=Month(2026, 5))
    arrive(15, op, ASYNC_FAILED)
    fee = LedgerEntry.objects.get(for_charge=may_rent, kind=EntryKind.LATE_FEE)
    assert (fee.effective_on, fee.occurred_on) == (june(1), date(2026, 5, 7))


def test_an_autopay_retry_that_goes_pending_after_the_grace_days_does_not_hold_off_the_fee(rent):
    from billing.services import online_payments as transitions

    op = debit(rent, started=june(1), hour=6)  # the first try, on the due date, was declined
    OnlinePayment.objects.filter(pk=op.pk).update(source="autopay", due_on=june(1), attempts=2)
    with time_machine.travel(local_moment(2026, 6, 8, 6), tick=True):  # the retry, past the grace days
        transitions.online_payment_pending(online_payment_id=op.pk, on=june(8), payment_intent_id="pi_retry_2")
    assert status_of(op) == Status.PENDING
    assess(8)
    assert fees(rent) == [(june(8), Decimal("25.00"))]
