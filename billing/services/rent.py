"""Rent schedules and rent posting.

Each stay's rent is set by its schedules (the first copied from the house's policy at admission). The posting job
``rent_post_due`` creates each period's charge on its due date, prorated at move-in, at move-out and where one
schedule hands over to the next (formula in ``billing.services.periods``). Every rent charge carries the
idempotency key ``rent:<stay id>:<schedule id>:<first night charged>``, unique in the database, so running the job
twice, or two jobs at once, posts nothing twice. A discharge stops later charges; when a discharge is dated inside
(or before) a period already charged in full, an adjusting credit linked to that charge gives back the nights not
stayed; nothing is edited.
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.exceptions import DomainError
from accounts.models import Membership
from accounts.money import money_words
from houses.models import House
from residents.core.services.roles import require_staff
from residents.models import Stay

from ..memos import english
from ..models import EntryKind, HouseBillingPolicy, LedgerEntry, RentPeriod, RentSchedule
from ..models.terms import terms_errors
from ..selectors.balances import cents, money_sum
from .ledger import ZERO, post_entry
from .periods import Terms, first_weekday_on_or_after, periods_overlapping, prorate

# Discharged stays are looked at again by the daily job for this long, a safety net behind the discharge hook.
RECONCILE_DAYS = 92
# Unique per stay and first night charged; the schedule is part of it so that nights whose charge was reversed can
# be billed again under new terms (a reversed charge keeps its key, and the same schedule never re-posts it).
RENT_KEY = "rent:{stay}:{schedule}:{billed_from}"
ADJUST_KEY = "rent-adjust:{charge}:{move_out}"


def terms_of(schedule: RentSchedule) -> Terms:
    anchor = None
    if schedule.period == RentPeriod.BIWEEKLY:
        anchor = first_weekday_on_or_after(schedule.starts_on, schedule.due_weekday)
    return Terms(period=schedule.period, due_weekday=schedule.due_weekday, due_day=schedule.due_day, anchor=anchor)


def _nights_label(start: date, end: date) -> str:
    last = end - timedelta(days=1)
    return f"{start:%b %-d} to {last:%b %-d, %Y}" if start != last else f"{start:%b %-d, %Y}"


def _live_rent_charges(stay: Stay):
    reversal = LedgerEntry.objects.filter(reverses=OuterRef("pk"))
    return (
        LedgerEntry.objects.filter(stay=stay, kind=EntryKind.RENT, rent_schedule__isnull=False)
        .annotate(is_reversed=Exists(reversal))
        .select_related("rent_schedule")
    )


def first_unbilled_night(stay: Stay) -> date | None:
    """The night after the last one a (not reversed) scheduled rent charge of the stay covers; None if none."""
    billed = [charge.billed_to for charge in _live_rent_charges(stay) if not charge.is_reversed]
    return max(billed) if billed else None


@transaction.atomic
def rent_schedule_from_policy(*, stay: Stay, starts_on: date | None = None) -> RentSchedule | None:
    """At admission: copies the house's default rent terms onto the new stay (None when the house has no policy),
    from ``starts_on`` (default: move-in; later for a resident whose earlier nights are in an opening balance)."""
    policy = HouseBillingPolicy.objects.filter(house_id=stay.house_id).first()
    if policy is None or RentSchedule.objects.filter(stay=stay).exists():
        return None
    return RentSchedule.objects.create(
        organization_id=stay.organization_id,
        stay=stay,
        amount=policy.rent_amount,
        period=policy.rent_period,
        due_weekday=policy.rent_due_weekday,
        due_day=policy.rent_due_day,
        starts_on=starts_on or stay.move_in,
        source=RentSchedule.Source.HOUSE_DEFAULT,
        created_by=stay.admitted_by,
    )


@transaction.atomic
def rent_schedule_set(
    *,
    actor: Membership,
    stay: Stay,
    amount: Decimal | None = None,
    period: str | None = None,
    due_weekday: int | None = None,
    due_day: int | None = None,
    starts_on: date | None = None,
    note: str = "",
) -> RentSchedule:
    """Sets a stay's rent terms from ``starts_on`` (a manager's override of the house default).

    Terms left out come from the house policy: the amount on its own, the period together with its due day.
    ``starts_on`` defaults to the first night not yet billed (and not before today); it cannot be a night already
    billed (reverse those charges first) nor outside the stay. Nights before it keep their earlier terms.
    """
    stay = Stay.objects.select_for_update().select_related("organization").get(pk=stay.pk)
    require_staff(actor, organization_id=stay.organization_id, house=stay.house)
    policy = HouseBillingPolicy.objects.filter(house_id=stay.house_id).first()
    from_policy = amount is None and period is None
    if period is None:
        if due_weekday is not None or due_day is not None:
            raise DomainError(gettext("Give the period together with its due day."), field="period")
        if policy is None:
            raise DomainError(
                gettext("This house has no default rent terms; give the period and due day."), field="period"
            )
        period, due_weekday, due_day = policy.rent_period, policy.rent_due_weekday, policy.rent_due_day
    if amount is None:
        if policy is None:
            raise DomainError(gettext("This house has no default rent; give an amount."), field="amount")
        amount = policy.rent_amount
    errors = terms_errors(
        amount=amount,
        period=period,
        due_weekday=due_weekday,
        due_day=due_day,
        names={"amount": "amount", "period": "period", "due_weekday": "due_weekday", "due_day": "due_day"},
    )
    if errors:
        field, message = next(iter(errors.items()))
        raise DomainError(message, field=field)
    billed_until = first_unbilled_night(stay)
    if starts_on is None:
        starts_on = max(day for day in (stay.move_in, billed_until, stay.organization.today()) if day)
    if starts_on < stay.move_in:
        raise DomainError(
            gettext("The stay began on %(day)s.") % {"day": date_format(stay.move_in, gettext("M j, Y"))},
            field="starts_on",
        )
    if stay.move_out is not None and starts_on >= stay.move_out:
        raise DomainError(
            gettext("The stay ended on %(day)s.") % {"day": date_format(stay.move_out, gettext("M j, Y"))},
            field="starts_on",
        )
    if billed_until is not None and starts_on < billed_until:
        raise DomainError(
            gettext("Nights before %(day)s are already billed; reverse those charges to change them.")
            % {"day": date_format(billed_until, gettext("M j, Y"))},
            field="starts_on",
        )
    values = {
        "organization_id": stay.organization_id,
        "amount": amount,
        "period": period,
        "due_weekday": due_weekday,
        "due_day": due_day,
        "source": RentSchedule.Source.HOUSE_DEFAULT if from_policy else RentSchedule.Source.OVERRIDE,
        "note": note,
        "created_by": actor.user,
    }
    # A schedule that starts on an unbilled night has no charges yet, so it may simply be replaced.
    schedule, _ = RentSchedule.objects.update_or_create(stay=stay, starts_on=starts_on, defaults=values)
    return schedule


def _rent_memo(schedule: RentSchedule, start, end, billed_from, billed_to) -> str:
    nights, period_nights = (billed_to - billed_from).days, (end - start).days
    text = f"Rent {_nights_label(billed_from, billed_to)}"
    if nights < period_nights:
        text += (
            f": {nights} of {period_nights} nights of {money_words(schedule.amount, schedule.organization.currency)} "
            f"{english(schedule.get_period_display()).lower()}"
        )
    return text


def _due_periods(stay: Stay, schedules: list[RentSchedule], on: date):
    """Every charge the schedules call for by ``on``, as ``(schedule, start, end, billed_from, billed_to, key)``:
    each schedule covers the stay's nights from its ``starts_on`` until the next schedule starts or move-out."""
    for index, schedule in enumerate(schedules):
        nights_from = max(schedule.starts_on, stay.move_in)
        following = schedules[index + 1].starts_on if index + 1 < len(schedules) else None
        ends = [day for day in (stay.move_out, following) if day]
        nights_to = min(ends) if ends else None
        if nights_to is not None and nights_from >= nights_to:
            continue
        horizon = min(nights_to, on + timedelta(days=1)) if nights_to else on + timedelta(days=1)
        for start, end in periods_overlapping(terms_of(schedule), nights_from, horizon):
            billed_from = max(start, nights_from)
            billed_to = min(end, nights_to) if nights_to else end
            yield (
                schedule,
                start,
                end,
                billed_from,
                billed_to,
                RENT_KEY.format(stay=stay.pk, schedule=schedule.pk, billed_from=billed_from),
            )


@transaction.atomic
def rent_sync_stay(*, stay: Stay, on: date) -> list[LedgerEntry]:
    """Brings one stay's rent up to date as of ``on``: posts every period charge due by then that is missing
    (prorated where the stay, or a schedule, covers part of the period) and, after a discharge, a credit for each
    charge that covered nights after move-out. Returns the entries written."""
    # The stay lock serializes two runs (and a discharge) for one stay; the unique keys are the last word.
    stay = Stay.objects.select_for_update().get(pk=stay.pk)
    schedules = list(RentSchedule.objects.filter(stay=stay).order_by("starts_on"))
    if not schedules:
        return []
    charges = list(_live_rent_charges(stay))
    posted_keys = {charge.idempotency_key for charge in charges}
    written = []
    for schedule, start, end, billed_from, billed_to, key in _due_periods(stay, schedules, on):
        if key in posted_keys:
            continue
        amount = prorate(schedule.amount, (billed_to - billed_from).days, (end - start).days)
        if amount <= 0:
            continue
        entry = post_entry(
            stay=stay,
            kind=EntryKind.RENT,
            amount=amount,
            effective_on=billed_from,
            memo=_rent_memo(schedule, start, end, billed_from, billed_to),
            idempotency_key=key,
            rent_schedule=schedule,
            period_start=start,
            period_end=end,
            billed_from=billed_from,
            billed_to=billed_to,
            carry=True,  # a period of a closed month (a backdated admission) posts on the first open day
        )
        if entry is not None:
            written.append(entry)
    if stay.move_out is not None:
        written += _credit_nights_after_move_out(stay, charges, on=on)
    return written


def _credit_nights_after_move_out(stay: Stay, charges: list[LedgerEntry], *, on: date) -> list[LedgerEntry]:
    """For each live rent charge that covered nights from move-out on, credits the difference between what was
    charged and what the nights actually stayed cost (same proration formula)."""
    over = [charge for charge in charges if not charge.is_reversed and charge.billed_to > stay.move_out]
    if not over:
        return []
    credited = dict(
        LedgerEntry.objects.filter(
            for_charge__in=over, kind=EntryKind.CREDIT, idempotency_key__startswith="rent-adjust:"
        )
        .filter(reversed_by__isnull=True)
        .values_list("for_charge")
        .annotate(total=money_sum())
    )
    written = []
    for charge in over:
        stayed = max(0, (min(charge.billed_to, stay.move_out) - charge.billed_from).days)
        period_nights = (charge.period_end - charge.period_start).days
        should_be = prorate(charge.rent_schedule.amount, stayed, period_nights) if stayed else ZERO
        give_back = charge.amount - should_be + cents(credited.get(charge.pk, ZERO))
        if give_back <= 0:
            continue
        memo = (
            f"Rent adjusted for move-out on {stay.move_out:%b %-d, %Y}: "
            f"{stayed} of {period_nights} nights from {charge.billed_from:%b %-d} cost "
            f"{money_words(should_be, stay.organization.currency)}"
        )
        entry = post_entry(
            stay=stay,
            kind=EntryKind.CREDIT,
            amount=-give_back,
            effective_on=max(on, charge.effective_on),
            memo=memo,
            idempotency_key=ADJUST_KEY.format(charge=charge.pk, move_out=stay.move_out.isoformat()),
            for_charge=charge,
            carry=True,
        )
        if entry is not None:
            written.append(entry)
    return written


def _stays_behind(stays, on: date) -> list[int]:
    """The stays with something to post as of ``on`` (a missing period charge or a missing move-out credit), read
    in three queries for any number of stays, so a daily run touches only the stays it has to."""
    schedules, keys, over = defaultdict(list), defaultdict(set), defaultdict(list)
    for schedule in RentSchedule.objects.filter(stay__in=stays.values("pk")).order_by("stay_id", "starts_on"):
        schedules[schedule.stay_id].append(schedule)
    reversal = LedgerEntry.objects.filter(reverses=OuterRef("pk"))
    rows = (
        LedgerEntry.objects.filter(stay__in=stays.values("pk"), idempotency_key__startswith="rent")
        .annotate(is_reversed=Exists(reversal))
        .values_list("pk", "stay_id", "idempotency_key", "billed_to", "is_reversed")
    )
    for pk, stay_id, key, billed_to, is_reversed in rows:
        keys[stay_id].add(key)
        if key.startswith("rent:") and not is_reversed:
            over[stay_id].append((pk, billed_to))
    behind = []
    for stay in stays.order_by("pk"):
        missing = any(key not in keys[stay.pk] for *_rest, key in _due_periods(stay, schedules[stay.pk], on))
        if not missing and stay.move_out is not None:
            missing = any(
                billed_to > stay.move_out and ADJUST_KEY.format(charge=pk, move_out=stay.move_out) not in keys[stay.pk]
                for pk, billed_to in over[stay.pk]
            )
        if missing:
            behind.append(stay.pk)
    return behind


def rent_post_due(*, on: date, house: House | None = None, organization=None) -> list[LedgerEntry]:
    """The daily rent job: brings every stay with a rent schedule up to date as of ``on`` (see ``rent_sync_stay``).
    Open stays and stays discharged within ``RECONCILE_DAYS`` are looked at. Idempotent; each stay is its own
    transaction, so one stay's trouble does not hold back the others' rent."""
    stays = Stay.objects.filter(rent_schedules__isnull=False, move_in__lte=on).filter(
        Q(move_out__isnull=True) | Q(move_out__gte=on - timedelta(days=RECONCILE_DAYS))
    )
    if house is not None:
        stays = stays.filter(house=house)
    if organization is not None:
        stays = stays.filter(organization=organization)
    stays = Stay.objects.filter(pk__in=stays.values("pk"))
    written = []
    for stay_id in _stays_behind(stays, on):
        written += rent_sync_stay(stay=Stay(pk=stay_id), on=on)
    return written
