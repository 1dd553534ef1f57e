"""Rent schedules and rent posting.

Each stay's rent is set by its schedules (the first copied from the house's policy at admission). The posting job
``rent_post_due`` creates each period's charge on its due date, prorated at move-in, at move-out and where one
schedule hands over to the next (formula in ``billing.services.periods``). Every rent charge carries the
idempotency key ``rent:<stay id>:<schedule id>:<first night charged>``, unique in the database, so running the job
twice, or two jobs at once, posts nothing twice. A discharge stops later charges; when a discharge is dated inside
(or before) a period already charged in full, an adjusting credit linked to that charge gives back the nights not
stayed; nothing is edited.
"""

import hashlib
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.exceptions import DomainError
from accounts.models import Membership
from accounts.money import money_words
from houses.models import House
from residents.core.services.roles import require_staff_or_house
from residents.models import Stay

from ..memos import english
from ..models import EntryKind, HouseBillingPolicy, LedgerEntry, RentPeriod, RentPostingMark, RentSchedule
from ..models.terms import terms_errors
from ..selectors.balances import cents
from .bulk_posting import books_locked, post_keyed_entries
from .ledger import ZERO
from .periods import Terms, first_weekday_on_or_after, periods_overlapping, prorate

# Discharged stays are looked at again by the daily job for this long, a safety net behind the discharge hook.
RECONCILE_DAYS = 92
# Unique per stay and first night charged; the schedule is part of it so that nights whose charge was reversed can
# be billed again under new terms (a reversed charge keeps its key, and the same schedule never re-posts it).
RENT_KEY = "rent:{stay}:{schedule}:{billed_from}"
ADJUST_KEY = "rent-adjust:{charge}:{move_out}"
# Stays posted per transaction by the daily job: each batch holds its organization's books lock for a moment only.
STAYS_PER_TRANSACTION = 2000
# How far ahead a stay's bookmark looks for its next charge: longer than any rent period.
MARK_HORIZON_DAYS = 62


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
    by_house: bool = False,
) -> RentSchedule:
    """Sets a stay's rent terms from ``starts_on`` (a manager's override of the house default).

    Terms left out come from the house policy: the amount on its own, the period together with its due day.
    ``starts_on`` defaults to the first night not yet billed (and not before today); it cannot be a night already
    billed (reverse those charges first) nor outside the stay. Nights before it keep their earlier terms.

    ``by_house``: a peer-run house's weekly share, set by its officer (the ``peer`` app checked the office).
    """
    stay = Stay.objects.select_for_update().select_related("organization").get(pk=stay.pk)
    require_staff_or_house(actor, organization_id=stay.organization_id, house=stay.house, by_house=by_house)
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


def _rent_memo(schedule: RentSchedule, start, end, billed_from, billed_to, currency: str) -> str:
    nights, period_nights = (billed_to - billed_from).days, (end - start).days
    text = f"Rent {_nights_label(billed_from, billed_to)}"
    if nights < period_nights:
        text += (
            f": {nights} of {period_nights} nights of {money_words(schedule.amount, currency)} "
            f"{english(schedule.get_period_display()).lower()}"
        )
    return text


def _due_periods(stay: Stay, schedules: list[RentSchedule], on: date, *, after: date | None = None):
    """Every charge the schedules call for by ``on``, as ``(schedule, start, end, billed_from, billed_to, key)``:
    each schedule covers the stay's nights from its ``starts_on`` until the next schedule starts or move-out. With
    ``after``, only the periods holding a night after that day."""
    for index, schedule in enumerate(schedules):
        nights_from = max(schedule.starts_on, stay.move_in)
        following = schedules[index + 1].starts_on if index + 1 < len(schedules) else None
        ends = [day for day in (stay.move_out, following) if day]
        nights_to = min(ends) if ends else None
        if nights_to is not None and nights_from >= nights_to:
            continue
        horizon = min(nights_to, on + timedelta(days=1)) if nights_to else on + timedelta(days=1)
        first_night = max(nights_from, after + timedelta(days=1)) if after is not None else nights_from
        for start, end in periods_overlapping(terms_of(schedule), first_night, horizon):
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


class _StayRow(NamedTuple):
    """What posting needs of a stay (plain values: the daily job reads every stay with rent)."""

    pk: int
    organization_id: int
    resident_id: int
    house_id: int
    move_in: date
    move_out: date | None
    currency: str


_STAY_FIELDS = ("pk", "organization_id", "resident_id", "house_id", "move_in", "move_out", "organization__currency")


class _Schedule(NamedTuple):
    """A rent schedule's terms, as ``_due_periods`` and the memos read them."""

    pk: int
    stay_id: int
    amount: Decimal
    period: str
    due_weekday: int | None
    due_day: int | None
    starts_on: date

    def get_period_display(self) -> str:
        return RentPeriod(self.period).label


class _Posted(NamedTuple):
    """A rent charge (key ``rent:``) or move-out credit (key ``rent-adjust:``) already in the ledger."""

    pk: int
    stay_id: int
    key: str
    amount: Decimal
    effective_on: date
    billed_from: date | None
    billed_to: date | None
    period_start: date | None
    period_end: date | None
    rent_schedule_id: int | None
    for_charge_id: int | None
    is_reversed: bool


def _rent_state(stays) -> tuple[dict[int, list[_Schedule]], dict[int, list[_Posted]]]:
    """The schedules (in order) and rent entries of ``stays`` (stay ids, or a query of them), in two queries for any
    number of stays."""
    return _schedules_of(stays), _posted_of(stays)


def _schedules_of(stays) -> dict[int, list[_Schedule]]:
    schedules = defaultdict(list)
    rows = (
        RentSchedule.objects.filter(stay_id__in=stays).order_by("stay_id", "starts_on").values_list(*_Schedule._fields)
    )
    for row in rows:
        schedules[row[1]].append(_Schedule(*row))
    return schedules


def _posted_of(stays) -> dict[int, list[_Posted]]:
    posted = defaultdict(list)
    reversal = LedgerEntry.objects.filter(reverses=OuterRef("pk"))
    rows = (
        LedgerEntry.objects.filter(stay_id__in=stays, idempotency_key__startswith="rent")
        .annotate(is_reversed=Exists(reversal))
        .order_by("pk")
        .values_list(*("idempotency_key" if name == "key" else name for name in _Posted._fields))
    )
    for row in rows:
        posted[row[1]].append(_Posted(*row))
    return posted


def _entry(stay: _StayRow, **fields) -> LedgerEntry:
    return LedgerEntry(
        organization_id=stay.organization_id,
        resident_id=stay.resident_id,
        stay_id=stay.pk,
        house_id=stay.house_id,
        **fields,
    )


def _missing_charges(stay: _StayRow, schedules: list[_Schedule], keys: set[str], on: date):
    """The period charges due by ``on`` that are not in the ledger (no entry has their key), as
    ``(schedule, start, end, billed_from, billed_to, key, amount)``."""
    for schedule, start, end, billed_from, billed_to, key in _due_periods(stay, schedules, on):
        if key in keys:
            continue
        amount = prorate(schedule.amount, (billed_to - billed_from).days, (end - start).days)
        if amount > 0:
            yield schedule, start, end, billed_from, billed_to, key, amount


def _missing_credits(stay: _StayRow, schedules: list[_Schedule], posted: list[_Posted], keys: set[str]):
    """After move-out: for each live rent charge that covered nights from move-out on, the difference between what
    was charged and what the nights actually stayed cost (same proration formula), less what was credited already,
    as ``(charge, key, give_back, stayed, period_nights, should_be)``."""
    over = [
        row for row in posted if row.key.startswith("rent:") and not row.is_reversed and row.billed_to > stay.move_out
    ]
    if not over:
        return
    credited = defaultdict(lambda: ZERO)
    for row in posted:
        if row.key.startswith("rent-adjust:") and not row.is_reversed:
            credited[row.for_charge_id] += row.amount
    amounts = {schedule.pk: schedule.amount for schedule in schedules}
    for charge in over:
        key = ADJUST_KEY.format(charge=charge.pk, move_out=stay.move_out.isoformat())
        if key in keys:
            continue
        stayed = max(0, (min(charge.billed_to, stay.move_out) - charge.billed_from).days)
        period_nights = (charge.period_end - charge.period_start).days
        should_be = prorate(amounts[charge.rent_schedule_id], stayed, period_nights) if stayed else ZERO
        give_back = charge.amount - should_be + cents(credited[charge.pk])
        if give_back > 0:
            yield charge, key, give_back, stayed, period_nights, should_be


def _is_behind(stay: _StayRow, schedules: list[_Schedule], posted: list[_Posted], on: date) -> bool:
    """Whether ``_stay_entries`` would write anything, without building the entries."""
    if not schedules:
        return False
    keys = {row.key for row in posted}
    if next(_missing_charges(stay, schedules, keys, on), None) is not None:
        return True
    return stay.move_out is not None and next(_missing_credits(stay, schedules, posted, keys), None) is not None


def _stay_entries(stay: _StayRow, schedules: list[_Schedule], posted: list[_Posted], on: date) -> list[LedgerEntry]:
    """What bringing one stay's rent up to date as of ``on`` writes (unsaved): every period charge due by then that is
    missing (prorated where the stay, or a schedule, covers part of the period) and, after a discharge, a credit for
    each charge that covered nights after move-out."""
    if not schedules:
        return []
    keys = {row.key for row in posted}
    entries = [
        _entry(
            stay,
            kind=EntryKind.RENT,
            amount=amount,
            effective_on=billed_from,
            memo=_rent_memo(schedule, start, end, billed_from, billed_to, stay.currency),
            idempotency_key=key,
            rent_schedule_id=schedule.pk,
            period_start=start,
            period_end=end,
            billed_from=billed_from,
            billed_to=billed_to,
        )
        for schedule, start, end, billed_from, billed_to, key, amount in _missing_charges(stay, schedules, keys, on)
    ]
    if stay.move_out is None:
        return entries
    for charge, key, give_back, stayed, period_nights, should_be in _missing_credits(stay, schedules, posted, keys):
        memo = (
            f"Rent adjusted for move-out on {stay.move_out:%b %-d, %Y}: "
            f"{stayed} of {period_nights} nights from {charge.billed_from:%b %-d} cost "
            f"{money_words(should_be, stay.currency)}"
        )
        entries.append(
            _entry(
                stay,
                kind=EntryKind.CREDIT,
                amount=-give_back,
                effective_on=max(on, charge.effective_on),
                memo=memo,
                idempotency_key=key,
                for_charge_id=charge.pk,
            )
        )
    return entries


def _terms_digest(stay: _StayRow, schedules: list[_Schedule]) -> str:
    """What the stay's charges follow from: its house, resident and dates, and every schedule's terms."""
    terms = (stay.house_id, stay.resident_id, stay.move_in, stay.move_out, tuple(schedules))
    return hashlib.blake2b(repr(terms).encode(), digest_size=16).hexdigest()


def _next_due_on(stay: _StayRow, schedules: list[_Schedule], on: date) -> date | None:
    """The first day after ``on`` on which a charge falls due under these terms; None when none ever will (the stay
    ended and every period of it is due). Looks ``MARK_HORIZON_DAYS`` ahead, a period at most; past that, the stay is
    looked at again on the horizon."""
    horizon = on + timedelta(days=MARK_HORIZON_DAYS)
    for _schedule, _start, _end, billed_from, _billed_to, _key in _due_periods(stay, schedules, horizon, after=on):
        if billed_from > on:
            return billed_from
    if stay.move_out is not None and stay.move_out <= horizon:
        return None
    return horizon


def _mark_up_to_date(stays: list[_StayRow], schedules: dict[int, list[_Schedule]], on: date) -> None:
    """Keeps the bookmark of stays just found (or brought) up to date as of ``on``: see ``RentPostingMark``."""
    marks = [
        RentPostingMark(
            stay_id=stay.pk,
            terms_digest=_terms_digest(stay, schedules[stay.pk]),
            checked_on=on,
            next_due_on=_next_due_on(stay, schedules[stay.pk], on),
        )
        for stay in stays
    ]
    RentPostingMark.objects.bulk_create(
        marks,
        batch_size=STAYS_PER_TRANSACTION,
        update_conflicts=True,
        unique_fields=["stay"],
        update_fields=["terms_digest", "checked_on", "next_due_on"],
    )


def _stays_to_post(stays, on: date) -> list[_StayRow]:
    """The stays (a query) with something to post as of ``on``. A stay whose bookmark still holds (same terms, no
    charge due since) is passed over unread; the entries of the rest are read ``STAYS_PER_TRANSACTION`` stays a
    query, and those found up to date are bookmarked. A daily run that has nothing to do writes no entry and locks
    nothing."""
    rows = [_StayRow(*row) for row in stays.order_by("pk").values_list(*_STAY_FIELDS)]
    schedules = _schedules_of(stays.values("pk"))
    marks = RentPostingMark.objects.filter(stay__in=stays.values("pk")).values_list(
        "stay_id", "terms_digest", "next_due_on"
    )
    digests = {stay_id: digest for stay_id, digest, next_due_on in marks if next_due_on is None or on < next_due_on}
    unread = [stay for stay in rows if digests.get(stay.pk) != _terms_digest(stay, schedules[stay.pk])]
    behind, up_to_date = [], []
    for index in range(0, len(unread), STAYS_PER_TRANSACTION):
        batch = unread[index : index + STAYS_PER_TRANSACTION]
        posted = _posted_of([stay.pk for stay in batch])
        for stay in batch:
            (behind if _is_behind(stay, schedules[stay.pk], posted[stay.pk], on) else up_to_date).append(stay)
    _mark_up_to_date(up_to_date, schedules, on)
    return behind


@transaction.atomic
def _post_for_stays(stays: list[_StayRow], on: date) -> list[LedgerEntry]:
    """Brings the stays' rent up to date as of ``on`` in one transaction and a few statements: their books and then
    the stays are locked (the order a discharge takes them), read again and their missing entries written at once."""
    closed = books_locked(stay.organization_id for stay in stays)
    # The stay locks serialize two runs (and a discharge) for a stay; the unique keys are the last word.
    stay_ids = [stay.pk for stay in stays]
    locked = Stay.objects.select_for_update(of=("self",)).filter(pk__in=stay_ids).order_by("pk")
    locked = [_StayRow(*row) for row in locked.values_list(*_STAY_FIELDS)]
    schedules, posted = _rent_state(stay_ids)
    entries = []
    for stay in locked:
        entries += _stay_entries(stay, schedules[stay.pk], posted[stay.pk], on)
    written = post_keyed_entries(entries, closed=closed)
    _mark_up_to_date(locked, schedules, on)
    return written


def rent_sync_stay(*, stay: Stay, on: date) -> list[LedgerEntry]:
    """Brings one stay's rent up to date as of ``on``: posts every period charge due by then that is missing
    (prorated where the stay, or a schedule, covers part of the period) and, after a discharge, a credit for each
    charge that covered nights after move-out. A period of a closed month (a backdated admission) posts on the first
    open day. Returns the entries written."""
    (row,) = Stay.objects.filter(pk=stay.pk).values_list(*_STAY_FIELDS)
    return _post_for_stays([_StayRow(*row)], on)


def rent_post_due(*, on: date, house: House | None = None, organization=None) -> list[LedgerEntry]:
    """The daily rent job: brings every stay with a rent schedule up to date as of ``on`` (see ``rent_sync_stay``).
    Open stays and stays discharged within ``RECONCILE_DAYS`` are looked at. Idempotent. The stays behind are found
    in one read and posted ``STAYS_PER_TRANSACTION`` at a time, each batch in a few statements, so one batch's
    trouble does not hold back the others' rent and no lock is held for long."""
    stays = Stay.objects.filter(rent_schedules__isnull=False, move_in__lte=on).filter(
        Q(move_out__isnull=True) | Q(move_out__gte=on - timedelta(days=RECONCILE_DAYS))
    )
    if house is not None:
        stays = stays.filter(house=house)
    if organization is not None:
        stays = stays.filter(organization=organization)
    behind = _stays_to_post(Stay.objects.filter(pk__in=stays.values("pk")), on)
    written = []
    for index in range(0, len(behind), STAYS_PER_TRANSACTION):
        written += _post_for_stays(behind[index : index + STAYS_PER_TRANSACTION], on)
    return written
