"""Properties that hold for any history: the balance is the sum of the entries, and aging always adds up.

How a credit balance shows in aging: it is not a negative bucket. The buckets hold only what is owed and sum to
``max(balance, 0)``; a resident in credit has empty buckets and their credit, ``max(-balance, 0)``, is reported
separately as ``credit_balances``.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.models import EntryKind, LedgerEntry
from billing.selectors.aging import aging_report
from billing.selectors.allocation import Line, allocate
from billing.selectors.balances import balance_of
from billing.services.ledger import charge_post, credit_post, entry_reverse, refund_post
from billing.services.payments import payment_record
from tests.factories import HouseFactory, admit

ZERO = Decimal("0.00")
START = date(2026, 1, 1)  # "today" in these tests is June 15, 2026: day 165
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000.00"), places=2)
days = st.integers(min_value=0, max_value=165).map(lambda n: START + timedelta(days=n))
operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("charge"),
            st.sampled_from(["rent", "deposit", "program_fee", "late_fee", "fine", "other"]),
            amounts,
            days,
        ),
        st.tuples(st.just("pay"), st.sampled_from(["cash", "check", "agency"]), amounts, days),
        st.tuples(st.just("credit"), amounts, days),
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=1000)),
        st.tuples(st.just("refund"), st.integers(min_value=1, max_value=100)),
    ),
    max_size=18,
)


def _apply(operation, *, actor, resident) -> Decimal:
    """Performs one operation through the services; returns how it should move the balance."""
    kind = operation[0]
    if kind == "charge":
        _kind, charge_kind, amount, on = operation
        charge_post(actor=actor, resident=resident, kind=charge_kind, amount=amount, memo="p", effective_on=on)
        return amount
    if kind == "pay":
        _kind, method, amount, on = operation
        payment_record(
            actor=actor, resident=resident, method=method, amount=amount, received_on=on, reference="1", payer_name="X"
        )
        return -amount
    if kind == "credit":
        _kind, amount, on = operation
        credit_post(actor=actor, resident=resident, amount=amount, memo="p", effective_on=on)
        return -amount
    if kind == "reverse":
        candidates = list(
            LedgerEntry.objects.filter(resident=resident, reversed_by__isnull=True)
            .exclude(kind=EntryKind.REVERSAL)
            .order_by("pk")
        )
        if not candidates:
            return ZERO
        entry = candidates[operation[1] % len(candidates)]
        entry_reverse(actor=actor, entry=entry)
        return -entry.amount
    credit = -balance_of(resident.pk)
    amount = (credit * operation[1] / 100).quantize(Decimal("0.01"))
    if amount <= 0:
        return ZERO
    refund_post(actor=actor, resident=resident, amount=amount, effective_on=date(2026, 6, 15))
    return amount


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=operations)
def test_any_history_keeps_the_balance_the_sum_and_aging_adding_up(operator, history):
    house = HouseFactory(organization=operator.organization, beds=1)
    resident = admit(house, date(2026, 1, 1)).resident
    expected = ZERO
    for operation in history:
        expected += _apply(operation, actor=operator, resident=resident)
    balance = balance_of(resident.pk)
    assert balance == expected
    assert balance == sum(LedgerEntry.objects.filter(resident=resident).values_list("amount", flat=True), ZERO)
    report = aging_report(viewer=operator, house=house)
    assert sum(report["buckets"].values(), ZERO) == report["total_owed"] == max(balance, ZERO)
    assert report["credit_balances"] == max(-balance, ZERO)
    assert all(value >= 0 for value in report["buckets"].values())


lines = st.lists(
    st.tuples(
        st.sampled_from(["charge", "refund", "payment", "credit"]), amounts, st.integers(min_value=0, max_value=400)
    ),
    max_size=40,
)


@settings(max_examples=300)
@given(rows=lines, reversals=st.sets(st.integers(min_value=0, max_value=39), max_size=10), targets=st.data())
def test_allocation_leaves_open_charges_equal_to_what_is_owed(rows, reversals, targets):
    built, next_id = [], 1
    for kind, amount, day in rows:
        signed = amount if kind in ("charge", "refund") else -amount
        built.append(Line(next_id, 1, 1, kind, signed, date(2026, 1, 1) + timedelta(days=day)))
        next_id += 1
    debit_ids = [line.id for line in built if line.amount > 0]
    if debit_ids:  # some credits are linked to a charge, as move-out adjustments are
        built = [
            Line(*line.__dict__.values())
            if line.amount > 0 or not targets.draw(st.booleans())
            else Line(
                line.id, 1, 1, line.kind, line.amount, line.effective_on, None, targets.draw(st.sampled_from(debit_ids))
            )
            for line in built
        ]
    originals = len(built)
    for index in sorted(reversals):
        if index < originals:
            original = built[index]
            built.append(
                Line(next_id, 1, 1, "reversal", -original.amount, original.effective_on, reverses_id=original.id)
            )
            next_id += 1
    on = date(2026, 6, 15)
    position = allocate(built, on=on).get(1)
    if position is None:
        return
    balance = sum((line.amount for line in built if line.effective_on <= on), ZERO)
    assert position.balance == balance
    assert position.owed() == max(balance, ZERO)
    assert position.credit == max(-balance, ZERO)
    for charge in position.open_charges:
        assert ZERO < charge.open <= charge.amount
