"""Demo billing: house policies, then months of rent run through the real posting job day by day, with residents
who pay on time, late, in part, through a third party, or not at all lately, so every aging bucket has someone in it.

Everything goes through the billing services (rent posting, late fees, payments, reversals, deposit settlements), so
the demo ledger obeys the same rules as a real one. Runs once per organization: a second run changes nothing.
"""

import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from accounts.models import Organization, Role
from billing.models import EntryKind, HouseBillingPolicy, LateFeeKind, LedgerEntry, RentPeriod, RentSchedule
from billing.selectors.balances import balance_of
from billing.services.deposits import deposit_charge_at_admission, deposit_settle
from billing.services.late_fees import late_fees_assess
from billing.services.ledger import charge_post, credit_post, entry_reverse
from billing.services.payments import payment_record
from billing.services.periods import period_containing, periods_overlapping
from billing.services.rent import rent_post_due, rent_schedule_set, terms_of
from houses.models import House
from residents.models import Stay

from . import seed_autopay, seed_stripe

# House defaults by position: rent, period, due weekday or day, deposit, late fee.
POLICIES = [
    {
        "rent_amount": "850.00",
        "rent_period": RentPeriod.MONTHLY,
        "rent_due_day": 1,
        "deposit_amount": "300.00",
        "late_fee_kind": LateFeeKind.FLAT,
        "late_fee_amount": "25.00",
        "late_fee_grace_days": 5,
    },
    {
        "rent_amount": "210.00",
        "rent_period": RentPeriod.WEEKLY,
        "rent_due_weekday": 4,
        "deposit_amount": "200.00",
        "late_fee_kind": LateFeeKind.PERCENT,
        "late_fee_percent": "5.00",
        "late_fee_grace_days": 3,
    },
    {
        "rent_amount": "950.00",
        "rent_period": RentPeriod.MONTHLY,
        "rent_due_day": 1,
        "deposit_amount": "400.00",
        "late_fee_kind": LateFeeKind.FLAT,
        "late_fee_amount": "30.00",
        "late_fee_grace_days": 5,
    },
]
PROFILES = ["prompt", "late", "third_party", "prompt", "partial", "prompt", "third_party", "prompt"]
# Residents who stopped paying, this many days ago: one for each past-due aging bucket.
STOPPED_DAYS_AGO = [125, 70, 40, 15]
HAND_METHODS = ["cash", "check", "money_order"]
THIRD_PARTIES = [("agency", "County Behavioral Health"), ("family", ""), ("voucher", "State Recovery Housing Voucher")]
CENT = Decimal("0.01")


def seed(organization: Organization, *, months: int = 6) -> None:
    """Policies for every house and ``months`` of billing history up to today."""
    if LedgerEntry.objects.filter(organization=organization, kind=EntryKind.RENT).exists():
        return  # seeded already (incidents' fines may be in the ledger before the rent is)
    today = organization.today()
    start = today - timedelta(days=30 * months)
    rng = random.Random(f"hearth-billing-{organization.slug}")
    operator = organization.memberships.filter(role=Role.OPERATOR).order_by("pk").first()
    houses = list(House.objects.filter(organization=organization).order_by("pk"))
    for index, house in enumerate(houses):
        values = {
            key: Decimal(v) if key.endswith(("amount", "percent")) else v for key, v in POLICIES[index % 3].items()
        }
        HouseBillingPolicy.objects.get_or_create(
            house=house, defaults={"organization": organization, "updated_by": operator.user, **values}
        )
    stays = list(
        Stay.objects.filter(organization=organization)
        .exclude(move_out__lte=start)
        .select_related("resident", "house")
        .order_by("move_in", "pk")
    )
    for stay in stays:
        if not RentSchedule.objects.filter(stay=stay).exists():
            rent_schedule_set(actor=operator, stay=stay, starts_on=max(stay.move_in, start), note="Demo")
        deposit_charge_at_admission(stay=stay)
    plans = _plans(stays, today=today, rng=rng)
    _run_days(organization, stays, start=start, today=today, plans=plans, actor=operator, rng=rng)
    _settle_deposits(stays, today=today, actor=operator, rng=rng)
    _corrections(stays, plans, today=today, actor=operator)


def _plans(stays: list[Stay], *, today: date, rng: random.Random) -> dict[int, dict]:
    """How each resident pays: on time, late, in part, through a third party, or (a few) not at all lately, each
    of those having stopped at a different time so that every aging bucket has someone in it."""
    current = [stay for stay in stays if stay.move_out is None]
    stopped = {}
    for days_ago in STOPPED_DAYS_AGO:
        stops_on = today - timedelta(days=days_ago)
        candidate = next(
            (s for s in current if s.pk not in stopped and s.resident.membership_id is None and s.move_in <= stops_on),
            None,
        )
        if candidate is not None:
            stopped[candidate.pk] = stops_on
    plans, turn, third = {}, 0, 0
    for index, stay in enumerate(stays):
        if stay.pk in stopped:
            profile = "behind"
        elif stay.resident.membership_id is not None:
            profile = "late"  # the demo portal login: pays, but late, so their ledger shows late fees
        elif stay.move_out is None:
            profile, turn = PROFILES[turn % len(PROFILES)], turn + 1
        else:
            profile = rng.choice(["prompt", "late", "prompt"])
        plan = {"profile": profile, "stops_on": stopped.get(stay.pk), "method": HAND_METHODS[index % 3], "payer": ""}
        if stay.resident.membership_id is not None and stay.move_out is None:
            plan.update(_portal_login_rent(stay, today=today))
        if profile == "third_party":
            method, payer = THIRD_PARTIES[third % 3]
            third += 1
            plan["method"] = method
            plan["payer"] = (
                payer or stay.resident.emergency_contact_name or f"The {stay.resident.legal_last_name} family"
            )
        plans[stay.resident_id] = plan
    return plans


def _portal_login_rent(stay: Stay, *, today: date) -> dict:
    """The demo portal login owes the rent of the current period (and what comes with it) whatever the day the demo
    is seeded, so they can pay online today, and paid the period before by bank debit online, which settled.

    ``open_from``: the start of the rent period holding yesterday, so something is always past due (on the first
    of a month, that is last month's rent); charges from then on are left unpaid. ``online_from``: the start of the
    period before, whose rent went through a bank debit."""
    schedule = RentSchedule.objects.filter(stay=stay).order_by("-starts_on").first()
    if schedule is None:
        return {}
    open_from, _end = period_containing(terms_of(schedule), today - timedelta(days=1))
    online_from, _end = period_containing(terms_of(schedule), open_from - timedelta(days=1))
    return {"open_from": open_from, "online_from": online_from}


def _payment_for(charge: LedgerEntry, plan: dict, rng: random.Random) -> tuple[date, Decimal] | None:
    profile = plan["profile"]
    if profile == "behind" and charge.effective_on >= plan["stops_on"]:
        return None
    if profile == "late":
        return charge.effective_on + timedelta(days=rng.randint(8, 12)), charge.amount
    if profile == "partial":
        return charge.effective_on + timedelta(days=2), (charge.amount * Decimal("0.6")).quantize(CENT, ROUND_HALF_UP)
    if profile == "third_party":
        return charge.effective_on + timedelta(days=rng.randint(3, 5)), charge.amount
    return charge.effective_on + timedelta(days=rng.randint(0, 3)), charge.amount


def _posting_days(stays: list[Stay], *, start: date, today: date) -> set[date]:
    """The days the rent job has something to post: every due date of every schedule, and today."""
    days = {today}
    for schedule in RentSchedule.objects.filter(stay__in=stays).select_related("stay"):
        first = max(schedule.starts_on, schedule.stay.move_in, start)
        for period_start, _end in periods_overlapping(terms_of(schedule), first, today + timedelta(days=1)):
            days.add(max(period_start, first))
    return days


def _run_days(organization, stays, *, start: date, today: date, plans: dict, actor, rng: random.Random) -> None:
    """Walks the calendar: the rent job on every day something falls due and the late-fee job on every day some
    rent turns late (a real deployment runs both daily; on the other days they post nothing), and each resident's
    payments on the days they pay."""
    payments: dict[date, list[tuple[LedgerEntry, Decimal]]] = {}
    late_days: set[date] = set()
    grace = dict(
        HouseBillingPolicy.objects.filter(organization=organization).values_list("house_id", "late_fee_grace_days")
    )

    def plan(charge: LedgerEntry, day: date) -> None:
        planned = _payment_for(charge, plans[charge.resident_id], rng) if charge.resident_id in plans else None
        if planned is None:
            return
        open_from = plans[charge.resident_id].get("open_from")
        if open_from and charge.effective_on >= open_from:
            return  # asked after the draw, so every other resident's payments stay as they were
        when, amount = seed_autopay.planned(charge, *planned)  # autopay pays rent on its due date
        when = day if charge.kind != EntryKind.RENT else max(when, day)  # deposits and fees: paid as they come up
        if when <= today:
            payments.setdefault(when, []).append((charge, amount))

    for deposit in LedgerEntry.objects.filter(organization=organization, kind=EntryKind.DEPOSIT):
        plan(deposit, max(deposit.effective_on, start))
    posting_days = _posting_days(stays, start=start, today=today)
    day = start
    while day <= today:
        if day in posting_days:
            for charge in rent_post_due(on=day, organization=organization):
                plan(charge, day)
                late_days.add(max(day, charge.effective_on + timedelta(days=grace.get(charge.house_id, 0) + 1)))
        if day in late_days:
            for fee in late_fees_assess(on=day, organization=organization):
                plan(fee, day)
        for charge, amount in payments.pop(day, []):
            _pay(charge, amount, plan=plans[charge.resident_id], on=day, actor=actor)
        day += timedelta(days=1)


def _pay(charge: LedgerEntry, amount: Decimal, *, plan: dict, on: date, actor) -> None:
    if seed_autopay.pays(charge, amount):  # charged on its due date, credited by Stripe's webhook
        return
    if charge.kind == EntryKind.RENT and plan.get("online_from") and charge.effective_on >= plan["online_from"]:
        # A bank debit takes a few banking days: started before ``on``, credited on ``on`` by its webhook.
        started_on = max(charge.effective_on, on - timedelta(days=4))
        seed_stripe.bank_debit(charge.organization, charge.resident, amount, started_on=started_on, settled_on=on)
        return
    method = plan["method"]
    reference = ""
    if method in ("check", "money_order"):
        reference = str(1000 + (charge.pk * 7919) % 9000)
    elif method == "voucher":
        reference = f"V-{on:%Y}-{charge.pk:04d}"
    payment_record(
        actor=actor,
        resident=charge.resident,
        method=method,
        amount=amount,
        received_on=on,
        reference=reference,
        payer_name=plan["payer"],
        memo=charge.get_kind_display(),
    )


def _returned_across_months(current: list[Stay], plans: dict, *, today: date, actor) -> None:
    """A check received last month that the bank returned this month (collected in the one, returned in the other,
    as the monthly report shows), and a goodwill credit, an adjustment that is neither a payment nor a reversal."""
    this_first = today.replace(day=1)
    received_on = (this_first - timedelta(days=1)).replace(day=21)
    # A resident who already lived here then; one who pays promptly when the house has one, as a bounced check is
    # news from such a resident, but any will do: every organization's demo shows a month-crossing return.
    there = [s for s in current if s.move_in <= received_on]
    if not there:
        return
    stay = next((s for s in reversed(there[2:]) if plans[s.resident_id]["profile"] == "prompt"), there[-1])
    check = payment_record(
        actor=actor,
        resident=stay.resident,
        method="check",
        amount="180.00",
        reference="4417",
        received_on=received_on,
        memo="Toward next month's rent",
    )
    entry_reverse(
        actor=actor,
        entry=check.entry,
        memo="check 4417 returned: account closed",
        effective_on=min(today, this_first + timedelta(days=1)),
    )
    credit_post(
        actor=actor,
        resident=stay.resident,
        amount="60.00",
        memo="Goodwill: painted the back porch",
        effective_on=max(stay.move_in, today - timedelta(days=20)),
    )


def _settle_deposits(stays: list[Stay], *, today: date, actor, rng: random.Random) -> None:
    """Past residents' deposits: settled two days after move-out, some with a deduction."""
    for stay in stays:
        stay.refresh_from_db()
        if stay.move_out is None or stay.move_out + timedelta(days=2) > today:
            continue
        if not LedgerEntry.objects.filter(stay=stay, kind=EntryKind.DEPOSIT).exists():
            continue
        deductions = [{"reason": "Carpet cleaning", "amount": "60.00"}] if rng.random() < 0.5 else []
        deposit_settle(actor=actor, stay=stay, on=stay.move_out + timedelta(days=2), deductions=deductions)


def _corrections(stays: list[Stay], plans: dict, *, today: date, actor) -> None:
    """A program fee charged at the wrong amount, reversed and charged again; a check that bounced; and a family
    that paid ahead, leaving a credit."""
    current = [stay for stay in stays if stay.move_out is None and stay.move_in <= today - timedelta(days=20)]
    if not current:
        return
    stay = current[0]
    wrong = charge_post(
        actor=actor,
        resident=stay.resident,
        kind=EntryKind.PROGRAM_FEE,
        amount="250.00",
        memo="Intake program fee",
        effective_on=today - timedelta(days=12),
    )
    # Noticed the next day, so the monthly figures (which stop at last night) show it as an adjustment.
    entry_reverse(
        actor=actor,
        entry=wrong,
        memo="charged by mistake (the program fee is $150.00)",
        effective_on=today - timedelta(days=11),
    )
    charge_post(
        actor=actor,
        resident=stay.resident,
        kind=EntryKind.PROGRAM_FEE,
        amount="150.00",
        memo="Intake program fee (corrected)",
        effective_on=today - timedelta(days=12),
    )
    if len(current) > 1:
        # The portal login's check bounces, so the resident sees a reversal (and why) on their own ledger.
        portal = next((s for s in current[1:] if s.resident.membership_id is not None), None)
        other = portal or current[1]
        check = payment_record(
            actor=actor,
            resident=other.resident,
            method="check",
            amount="100.00",
            reference="2231",
            received_on=today - timedelta(days=9),
            memo="Partial rent",
        )
        # The bank returned it the next day, and the returned check fee followed.
        entry_reverse(
            actor=actor, entry=check.entry, memo="check 2231 returned unpaid", effective_on=today - timedelta(days=8)
        )
        charge_post(
            actor=actor,
            resident=other.resident,
            kind=EntryKind.FINE,
            amount="35.00",
            memo="Returned check fee",
            effective_on=today - timedelta(days=7),
        )
    _returned_across_months(current, plans, today=today, actor=actor)
    ahead = next((s for s in current[2:] if plans[s.resident_id]["profile"] == "prompt"), None)
    if ahead is not None:
        # What they owe today (the 1st's rent, when it is the 1st) and $400 ahead: a credit on any day of the month.
        owed = max(balance_of(ahead.resident_id), Decimal("0.00"))
        payment_record(
            actor=actor,
            resident=ahead.resident,
            method="family",
            amount=owed + Decimal("400.00"),
            received_on=today - timedelta(days=3),
            payer_name=ahead.resident.emergency_contact_name or "Family",
            memo="Paid ahead",
        )
