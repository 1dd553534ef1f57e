"""Each stay's money, as the billing engine would have written it had its jobs run every day until yesterday: the
rent schedule copied from the house policy at admission, the deposit, every period's rent charge on its due date
(prorated at move-in; a move-out credit for nights not stayed), payments by every method, and a late fee for rent
still open after the grace days. Same kinds, idempotency keys and memos as ``billing.services``.
"""

from bisect import bisect_right
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from accounts.money import money_words
from billing.memos import english
from billing.models import EntryKind, LateFeeKind, LedgerEntry, OnlinePayment, Payment, RentPeriod, RentSchedule
from billing.models.terms import CENT
from billing.services.deposits import DEPOSIT_KEY
from billing.services.late_fees import LATE_FEE_KEY
from billing.services.periods import Terms, period_containing, prorate
from billing.services.rent import ADJUST_KEY, RENT_KEY

ENTRY_FIELDS = [
    "id", "organization", "resident", "stay", "house", "kind", "amount", "effective_on", "memo", "created_by",
    "created_at", "idempotency_key", "for_charge", "rent_schedule", "period_start", "period_end", "billed_from",
    "billed_to",
]  # fmt: skip
PAYMENT_FIELDS = [
    "id", "organization", "resident", "stay", "house", "method", "status", "amount", "received_on", "reference",
    "payer_name", "received_by", "receipt_number", "entry", "memo", "created_at",
]  # fmt: skip
ONLINE_FIELDS = [
    "id", "organization", "resident", "stay", "house", "amount", "currency", "status", "source",
    "checkout_session_id", "payment_intent_id", "payment_method_type", "payment", "created_at", "updated_at",
]  # fmt: skip
SCHEDULE_FIELDS = ["id", "organization", "stay", "amount", "period", "due_weekday", "due_day", "starts_on", "source",
                   "created_by", "created_at"]  # fmt: skip

# How residents pay: most on time, some late, some in part, a few hardly at all (they make the arrears).
HABITS = ["prompt"] * 62 + ["late"] * 18 + ["partial"] * 12 + ["none"] * 8
SELF_METHODS = ["cash"] * 25 + ["check"] * 12 + ["money_order"] * 25 + ["card"] * 26 + ["bank_debit"] * 12
THIRD_PARTY = {"agency": "County Behavioral Health", "voucher": "State Recovery Housing Voucher"}


@lru_cache(maxsize=4096)
def _words(amount: Decimal, currency: str) -> str:
    return money_words(amount, currency)


@lru_cache(maxsize=8)
def _period_word(period: str) -> str:
    return english(RentPeriod(period).label).lower()


@lru_cache(maxsize=16)
def _method_label(method: str) -> str:
    return str(english(Payment.Method(method).label))


@lru_cache(maxsize=1 << 16)
def moment(day: date, hour: int, minute: int, zone) -> datetime:
    """A wall-clock moment of the organization (the same few are asked for over and over)."""
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


@lru_cache(maxsize=1 << 12)
def _period(terms: Terms, day: date) -> tuple[date, date]:
    return period_containing(terms, day)


def _periods(terms: Terms, first_night: date, until: date):
    """``billing.services.periods.periods_overlapping``, with each period worked out once for all stays."""
    start, end = _period(terms, first_night)
    while start < until:
        yield start, end
        start, end = _period(terms, end)


@lru_cache(maxsize=1 << 16)
def _rent_memo(start: date, end: date, billed_from: date, amount: Decimal, period: str, currency: str) -> str:
    nights, period_nights = (end - billed_from).days, (end - start).days
    memo = f"Rent {_nights_label(billed_from, end)}"
    if nights < period_nights:
        memo += f": {nights} of {period_nights} nights of {_words(amount, currency)} {_period_word(period)}"
    return memo


def _nights_label(start: date, end: date) -> str:
    last = end - timedelta(days=1)
    return f"{start:%b %-d} to {last:%b %-d, %Y}" if start != last else f"{start:%b %-d, %Y}"


class Books:
    """Writes the money of one stay after another; ``org`` carries the organization's ids, clock and currency."""

    def __init__(self, sink, *, org, rng):
        self.org, self.rng = org, rng
        self.schedules = sink.table(RentSchedule, SCHEDULE_FIELDS)
        self.entries = sink.table(LedgerEntry, ENTRY_FIELDS)
        self.payments = sink.table(Payment, PAYMENT_FIELDS)
        self.online = sink.table(OnlinePayment, ONLINE_FIELDS)
        self.receipts = 0

    def _at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return moment(day, hour, minute, self.org.tz)

    def _entry(self, stay, house, kind, amount, on, memo, *, key=None, by=None, hour=10, **rent) -> int:
        pk = self.entries.next_id()
        self.entries.add(
            (pk, self.org.id, stay.resident_id, stay.id, self.org.house_ids[house], kind, amount, on, memo[:300], by,
             self._at(on, hour, 15), key, rent.get("for_charge"), rent.get("schedule"), rent.get("period_start"),
             rent.get("period_end"), rent.get("billed_from"), rent.get("billed_to"))
        )  # fmt: skip
        return pk

    def stay(self, stay, *, habit: str, payer: str) -> None:
        """Everything billing wrote for ``stay`` (a plan with ids, see ``demo.scale``) up to yesterday."""
        org = self.org
        policy = org.policies[stay.house]
        schedule = self.schedules.next_id()
        self.schedules.add(
            (schedule, org.id, stay.id, policy.rent_amount, policy.rent_period, policy.rent_due_weekday,
             policy.rent_due_day, stay.move_in, "house_default", org.staff_id, self._at(stay.move_in, 9))
        )  # fmt: skip
        debits = []  # (effective_on, id, amount, is_rent, house)
        if policy.deposit_amount > 0:
            pk = self._entry(
                stay, stay.house, EntryKind.DEPOSIT, policy.deposit_amount, stay.move_in,
                f"Security deposit, {org.house_names[stay.house]}", key=DEPOSIT_KEY.format(stay=stay.id),
                by=org.staff_id, hour=9,
            )  # fmt: skip
            debits.append((stay.move_in, pk, policy.deposit_amount, False, stay.house))
        terms = Terms(period=policy.rent_period, due_weekday=policy.rent_due_weekday, due_day=policy.rent_due_day)
        until = stay.move_out or org.today
        last_charge = None
        for start, end in _periods(terms, stay.move_in, until):
            billed_from = max(start, stay.move_in)
            nights, period_nights = (end - billed_from).days, (end - start).days
            amount = prorate(policy.rent_amount, nights, period_nights)
            memo = _rent_memo(start, end, billed_from, policy.rent_amount, policy.rent_period, org.currency)
            house = stay.house_on(billed_from)
            pk = self._entry(
                stay, house, EntryKind.RENT, amount, billed_from, memo,
                key=RENT_KEY.format(stay=stay.id, schedule=schedule, billed_from=billed_from), schedule=schedule,
                period_start=start, period_end=end, billed_from=billed_from, billed_to=end,
            )  # fmt: skip
            debits.append((billed_from, pk, amount, True, house))
            last_charge = (pk, start, end, billed_from, amount)
        credits = []  # (effective_on, amount)
        if stay.move_out is not None and last_charge is not None and last_charge[2] > stay.move_out:
            pk, start, end, billed_from, amount = last_charge
            stayed, period_nights = (stay.move_out - billed_from).days, (end - start).days
            should_be = prorate(policy.rent_amount, stayed, period_nights) if stayed > 0 else Decimal("0.00")
            if amount - should_be > 0:
                memo = (
                    f"Rent adjusted for move-out on {stay.move_out:%b %-d, %Y}: {stayed} of {period_nights} nights "
                    f"from {billed_from:%b %-d} cost {_words(should_be, org.currency)}"
                )
                on = max(stay.move_out, billed_from)
                self._entry(
                    stay, stay.assignments[-1].house, EntryKind.CREDIT, should_be - amount, on, memo,
                    key=ADJUST_KEY.format(charge=pk, move_out=stay.move_out.isoformat()), for_charge=pk, hour=16,
                )  # fmt: skip
                credits.append((on, amount - should_be))
        payments = self._payments(stay, debits, habit=habit, payer=payer)
        credits += [(day, amount) for day, amount, _method in payments]
        self._late_fees(stay, debits, credits)
        for day, amount, method in payments:
            self._payment(stay, day, amount, method, payer)

    def _payments(self, stay, debits, *, habit: str, payer: str) -> list:
        """When and how the resident paid each charge, by their habit."""
        org, rng = self.org, self.rng
        last_day = org.yesterday if stay.move_out is None else min(org.yesterday, stay.move_out + timedelta(days=3))
        method = THIRD_PARTY_METHOD.get(payer) or rng.choice(SELF_METHODS)
        paid = []
        for due, _pk, amount, is_rent, house in debits:
            policy = org.policies[house]
            if habit == "prompt":
                day, share = due + timedelta(days=rng.randint(0, 2)), amount
            elif habit == "late":
                day = due + timedelta(days=policy.late_fee_grace_days + rng.randint(1, 8))
                share = amount + (_fee(policy, amount) if is_rent else 0)
            elif habit == "partial":
                day, share = due + timedelta(days=rng.randint(0, 10)), amount * Decimal(rng.randint(50, 90)) / 100
            else:
                if rng.random() > 0.3:
                    continue
                day, share = due + timedelta(days=rng.randint(0, 20)), amount / 2
            share = Decimal(share).quantize(CENT, rounding=ROUND_HALF_UP)
            if day <= last_day and share > 0:
                if rng.random() < 0.1 and payer == "self":
                    method = rng.choice(SELF_METHODS)  # people change how they pay now and then
                paid.append((day, share, method))
        return paid

    def _late_fees(self, stay, debits, credits) -> None:
        """A late fee for each rent charge still partly open on its late date (payments dated on or before it pay
        the oldest charges first), posted that day as the daily job would; none dated today or later."""
        org = self.org
        credits.sort()
        credit_days = [day for day, _amount in credits]
        credit_sums, total = [], Decimal("0.00")
        for _day, amount in credits:
            total += amount
            credit_sums.append(total)
        fees = []  # (effective_on, amount)
        before = Decimal("0.00")  # the debits ahead of this one in the allocation order, fees aside
        for due, pk, amount, is_rent, house in sorted(debits):
            through = before + amount
            before = through
            policy = org.policies[house]
            if not is_rent or policy.late_fee_kind == LateFeeKind.NONE:
                continue
            late_on = due + timedelta(days=policy.late_fee_grace_days + 1)
            if late_on >= org.today:
                continue
            index = bisect_right(credit_days, late_on)
            paid = credit_sums[index - 1] if index else Decimal("0.00")
            ahead = through + sum((fee for day, fee in fees if day < due), Decimal("0.00"))
            overdue = min(amount, ahead - paid)
            if overdue <= 0:
                continue
            fee = _fee(policy, overdue)
            rule = (
                f"{policy.late_fee_percent.normalize():f}% of {_words(overdue, org.currency)} overdue"
                if policy.late_fee_kind == LateFeeKind.PERCENT
                else "flat fee"
            )
            self._entry(
                stay, stay.house_on(late_on), EntryKind.LATE_FEE, fee, late_on,
                f"Late fee: rent due {due:%b %-d, %Y} unpaid after {policy.late_fee_grace_days} grace days ({rule})",
                key=LATE_FEE_KEY.format(charge=pk), for_charge=pk, hour=10,
            )  # fmt: skip
            fees.append((late_on, fee))

    def _payment(self, stay, day: date, amount: Decimal, method: str, payer: str) -> None:
        org = self.org
        house_index = stay.house_on(min(day, stay.move_out - timedelta(days=1)) if stay.move_out else day)
        house = org.house_ids[house_index]
        self.receipts += 1
        payment = self.payments.next_id()
        if method in ("card", "bank_debit"):
            label = _method_label(method).split(" (")[0].lower()
            intent = f"pi_scale_{payment:08d}"
            entry = self._entry(
                stay, house_index, EntryKind.PAYMENT, -amount, day, f"Online payment by {label}",
                key=f"stripe:payment:{intent}", hour=20,
            )  # fmt: skip
            self.payments.add(
                (payment, org.id, stay.resident_id, stay.id, house, method, "completed", amount, day, intent, "",
                 None, self.receipts, entry, f"Paid online by {label}", self._at(day, 20, 15))
            )  # fmt: skip
            moment = self._at(day, 20, 5)
            self.online.add(
                (self.online.next_id(), org.id, stay.resident_id, stay.id, house, amount, org.currency, "succeeded",
                 "checkout", f"cs_scale_{payment:08d}", intent, "card" if method == "card" else "us_bank_account",
                 payment, moment, moment)
            )  # fmt: skip
            return
        reference = f"{self.rng.randint(10000, 99999)}" if method in ("check", "money_order") else ""
        payer_name = THIRD_PARTY.get(payer, "") if method in THIRD_PARTY else ""
        description = (
            f"{_method_label(method)} payment"
            + (f" no. {reference}" if reference else "")
            + (f" from {payer_name}" if payer_name else "")
        )
        entry = self._entry(stay, house_index, EntryKind.PAYMENT, -amount, day, description, by=org.staff_id, hour=12)
        self.payments.add(
            (payment, org.id, stay.resident_id, stay.id, house, method, "completed", amount, day, reference,
             payer_name, org.staff_id, self.receipts, entry, "", self._at(day, 12, 15))
        )  # fmt: skip


THIRD_PARTY_METHOD = {"agency": "agency", "voucher": "voucher"}


def _fee(policy, overdue: Decimal) -> Decimal:
    if policy.late_fee_kind == LateFeeKind.FLAT:
        return policy.late_fee_amount
    return (overdue * policy.late_fee_percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
