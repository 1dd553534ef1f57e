"""Chores: defining them, rotating them fairly among the people who live in the house, and marking how they went.

Fairness: each occurrence of a chore goes to the resident living in the house that day who has the fewest chores in
this house so far (every generated week counts, cancelled chores do not); ties go to whoever has waited longest since
their last chore, then to the lowest resident id, so the same input always gives the same rotation. A newcomer joins
level with the lightest-loaded resident already in the rotation (a ``ChoreRotationMember`` row records the credit),
not at zero, which would hand them every chore for weeks.

Leaving: a resident who is discharged or transferred leaves the rotation. Their pending chores due from the day they
left are reassigned, by the same rule, to someone living in the house that day; a chore whose day has already passed,
or for which nobody lives in the house, is cancelled. Marked chores are history and never change hands.

Every write takes the house row lock first, so generation, reassignment and schedule changes of one house run one
after the other; the unique (chore, due date) constraint is the database's last word against duplicates.

Closed months (``accounts.closing``): a month's figures count the chores due in it by status, so a chore due in a
closed month is neither marked nor given out, reassigned or cancelled; generation leaves the closed days of a week as
they are.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import calendar
from accounts.closing import MonthClosed, closed_through, lock_books
from accounts.exceptions import Conflict, Invalid
from accounts.models import Membership
from houses.models import House
from residents.chores.models import EVERY_DAY, WEEKDAYS, schedule_error, weekdays_to_mask
from residents.core.selectors.nights import residents_of
from residents.core.services.roles import require_staff, require_staff_or_house
from residents.models import BedAssignment, Chore, ChoreAssignment, ChoreRotationMember, Stay

ROTATION_WEEKS_AHEAD = 4
BATCH = 1000
Status = ChoreAssignment.Status


@dataclass(frozen=True)
class RotationResult:
    house: House
    week_start: date
    created: int
    reassigned: int
    cancelled: int


def _lock_house(house: House) -> House:
    return House.objects.select_for_update().select_related("organization").get(pk=house.pk)


class _Rotation:
    """One house's chore counts, kept current while chores are handed out inside the house lock. The rows it writes
    (rotation places, settled assignments) wait in ``flush`` so a run writes them in a few statements."""

    def __init__(self, house: House, *, counts=None, last=None, credit=None):
        self.house = house
        if counts is None:
            rows = (
                ChoreAssignment.objects.filter(house=house)
                .live()
                .order_by()
                .values("resident_id")
                .annotate(count=Count("pk"), last=Max("due_date"))
            )
            counts = {row["resident_id"]: row["count"] for row in rows}
            last = {row["resident_id"]: row["last"] for row in rows}
            credit = dict(ChoreRotationMember.objects.filter(house=house).values_list("stay_id", "starting_count"))
        self.counts, self.last, self.credit = counts, last, credit
        self.members: list[ChoreRotationMember] = []
        self.settled: dict[int, ChoreAssignment] = {}

    @classmethod
    def for_houses(cls, houses: list[House], *, credit: dict[int, dict[int, int]]) -> dict[int, "_Rotation"]:
        """The rotations of many houses, read in one query; ``credit`` holds their rotation places (by house)."""
        counts, last = defaultdict(dict), defaultdict(dict)
        ids = [house.pk for house in houses]
        rows = (
            ChoreAssignment.objects.filter(house_id__in=ids)
            .live()
            .order_by()
            .values("house_id", "resident_id")
            .annotate(count=Count("pk"), last=Max("due_date"))
        )
        for row in rows:
            counts[row["house_id"]][row["resident_id"]] = row["count"]
            last[row["house_id"]][row["resident_id"]] = row["last"]
        return {
            house.pk: cls(house, counts=counts[house.pk], last=last[house.pk], credit=dict(credit[house.pk]))
            for house in houses
        }

    def load(self, resident_id: int, stay_id: int) -> int:
        return self.counts.get(resident_id, 0) + self.credit.get(stay_id, 0)

    def join(self, living: dict[int, int], *, on: date) -> None:
        """Gives each resident in ``living`` without a place for this stay one, level with the lightest load."""
        newcomers = sorted((resident, stay) for resident, stay in living.items() if stay not in self.credit)
        if not newcomers:
            return
        floor = min((self.load(r, s) for r, s in living.items() if s in self.credit), default=0)
        for resident_id, stay_id in newcomers:
            credit = max(0, floor - self.counts.get(resident_id, 0))
            self.members.append(
                ChoreRotationMember(
                    organization_id=self.house.organization_id, house=self.house, resident_id=resident_id,
                    stay_id=stay_id, joined_on=on, starting_count=credit,
                )
            )  # fmt: skip
            self.credit[stay_id] = credit

    def pick(self, living: dict[int, int]) -> tuple[int, int]:
        """The (resident id, stay id) next in line among ``living``: fewest chores, longest wait, lowest id."""
        return min(
            living.items(),
            key=lambda item: (self.load(*item), self.last.get(item[0]) or date.min, item[0]),
        )

    def give(self, resident_id: int, day: date) -> None:
        self.counts[resident_id] = self.counts.get(resident_id, 0) + 1
        self.last[resident_id] = max(self.last.get(resident_id) or day, day)

    def take(self, resident_id: int) -> None:
        self.counts[resident_id] = self.counts.get(resident_id, 0) - 1

    @staticmethod
    def flush(rotations) -> None:
        """Writes what the rotations changed: new rotation places, then the assignments settled, in bulk."""
        members = [member for rotation in rotations for member in rotation.members]
        settled = [assignment for rotation in rotations for assignment in rotation.settled.values()]
        ChoreRotationMember.objects.bulk_create(members, batch_size=BATCH)
        ChoreAssignment.objects.bulk_update(settled, ["resident", "stay", "status"], batch_size=BATCH)
        for rotation in rotations:
            rotation.members, rotation.settled = [], {}


class _Existing(NamedTuple):
    """An assignment as ``_settle_action`` reads it."""

    pk: int
    house_id: int
    chore_id: int
    due_date: date
    resident_id: int
    status: str


def _settle_action(assignment: ChoreAssignment, living: dict[int, int], *, today: date) -> str:
    """What ``_settle`` does to an existing assignment: 'kept', 'reassigned' or 'cancelled'."""
    if assignment.status == Status.PENDING and assignment.resident_id in living:
        return "kept"
    if assignment.status not in (Status.PENDING, Status.CANCELLED):
        return "kept"
    if assignment.due_date >= today and living:
        return "reassigned"
    if assignment.status == Status.CANCELLED:
        return "kept"
    return "cancelled"


def _settle(assignment: ChoreAssignment, living: dict[int, int], rotation: _Rotation, *, today: date) -> str:
    """Makes an existing assignment fit who lives in the house on its day: 'kept', 'reassigned' or 'cancelled'.

    A pending chore of someone who no longer lives there passes to the next in line (from today on) or is
    cancelled (a past day, or an empty house). A cancelled chore is given out again when it can be done after all.
    """
    action = _settle_action(assignment, living, today=today)
    if action == "reassigned":
        day = assignment.due_date
        rotation.join(living, on=day)
        if assignment.status == Status.PENDING:
            rotation.take(assignment.resident_id)
        resident_id, stay_id = rotation.pick(living)
        rotation.give(resident_id, day)
        assignment.resident_id, assignment.stay_id, assignment.status = resident_id, stay_id, Status.PENDING
        rotation.settled[assignment.pk] = assignment
    elif action == "cancelled":
        rotation.take(assignment.resident_id)
        assignment.status = Status.CANCELLED
        rotation.settled[assignment.pk] = assignment
    return action


def _week_has_work(
    days: list[date], chores: list[Chore], existing: dict, living_on: dict, credit: dict, *, today: date
) -> bool:
    """Whether generating a house's week would change anything: an occurrence to give out, an assignment to settle,
    a newcomer to place in the rotation. Lets the weekly job skip unchanged houses without reading their history."""
    for day in days:
        occurrences = [chore for chore in chores if chore.runs_on(day)]
        if not occurrences:
            continue
        living = living_on.get(day, {})
        if any(stay_id not in credit for stay_id in living.values()):
            return True
        for chore in occurrences:
            assignment = existing.get((chore.pk, day))
            if assignment is None:
                if living:
                    return True
            elif _settle_action(assignment, living, today=today) != "kept":
                return True
    return False


def _rotate_week(
    house: House, days: list[date], chores: list[Chore], existing: dict, living_on, rotation: _Rotation, *, today
) -> tuple[dict, list[ChoreAssignment]]:
    """Hands out one house's week by the fairness rule (see ``chore_rotation_generate``): settles the assignments
    there are and returns the tally and the new assignments, unsaved. ``living_on(day)`` is {resident id: stay id}."""
    tally = {"created": 0, "kept": 0, "reassigned": 0, "cancelled": 0}
    new = []
    for day in days:
        occurrences = [chore for chore in chores if chore.runs_on(day)]
        if not occurrences:
            continue
        living = living_on(day)
        rotation.join(living, on=day)
        for chore in occurrences:
            assignment = existing.get((chore.pk, day))
            if assignment is not None:
                tally[_settle(assignment, living, rotation, today=today)] += 1
                continue
            if not living:
                continue  # nobody to do it; a later run gives it out if someone moves in
            resident_id, stay_id = rotation.pick(living)
            new.append(
                ChoreAssignment(
                    organization_id=house.organization_id, house=house, chore=chore, due_date=day,
                    resident_id=resident_id, stay_id=stay_id,
                )
            )  # fmt: skip
            rotation.give(resident_id, day)
    return tally, new


def _save_week(rotations, new: list[ChoreAssignment], *, house_ids: list[int], first: date, last: date, before: int):
    """Writes a run's changes; returns how many assignments it created. The (chore, due date) key is the database's
    last word: an occurrence given out meanwhile is skipped, and the count read back says so."""
    _Rotation.flush(rotations)
    if not new:
        return 0
    ChoreAssignment.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
    return ChoreAssignment.objects.filter(house_id__in=house_ids, due_date__range=(first, last)).count() - before


@transaction.atomic
def chore_rotation_generate(*, actor: Membership | None, house: House, week_start: date) -> RotationResult:
    """Hands out one week (Monday ``week_start`` to Sunday) of a house's active chores, one assignment per chore per
    day it runs, to the residents living in the house that day, by the fairness rule above.

    Idempotent: occurrences that already have an assignment keep it. Running it again creates nothing; it only
    reassigns pending chores of residents who have left since, and gives out cancelled ones that can be done after
    all. A week can be generated at most ``ROTATION_WEEKS_AHEAD`` weeks ahead of the current one.
    Staff of the house generate (``NotAllowed`` for anyone else); ``actor`` None is the weekly job.
    """
    if actor is not None:
        require_staff(actor, organization_id=house.organization_id, house=house)
    if week_start.weekday() != 0:
        raise Invalid(
            _("A rotation week starts on a Monday; %(week_start)s is a %(weekday)s.")
            % {"week_start": date_format(week_start, _("M j, Y")), "weekday": date_format(week_start, _("l"))},
            field="week_start",
        )
    lock_books(house.organization_id)  # the organization first: the lock order of every dated write
    through = closed_through(house.organization_id)
    if through is not None and week_start + timedelta(days=6) <= through:
        raise MonthClosed(
            _(
                "%(through)s is closed, and with it the week of %(week_start)s: its chores stay as "
                "they were. Ask an operator to reopen %(through)s to change them."
            )
            % {"through": date_format(through, _("F Y")), "week_start": date_format(week_start, _("M j, Y"))},
            field="week_start",
        )
    house = _lock_house(house)  # serializes generations (and reassignments) of this house
    if house.status != House.Status.ACTIVE:
        raise Invalid(_("%(name)s is closed; its chores are not rotated.") % {"name": house.name}, field="house")
    today = house.organization.today()
    latest = calendar.week_start(today) + timedelta(weeks=ROTATION_WEEKS_AHEAD)
    if week_start > latest:
        raise Invalid(
            _(
                "Chores can be generated up to %(ROTATION_WEEKS_AHEAD)s weeks ahead (the week of "
                "%(latest)s), so the rotation follows who actually lives in the house."
            )
            % {"ROTATION_WEEKS_AHEAD": ROTATION_WEEKS_AHEAD, "latest": date_format(latest, _("M j, Y"))},
            field="week_start",
        )
    days = [week_start + timedelta(days=offset) for offset in range(7)]
    days = [day for day in days if through is None or day > through]  # a closed month's chores stay as they were
    chores = list(Chore.objects.filter(house=house, is_active=True).order_by("pk"))
    existing = {
        (assignment.chore_id, assignment.due_date): assignment
        for assignment in ChoreAssignment.objects.filter(house=house, due_date__range=(days[0], days[-1]))
    }
    rotation = _Rotation(house)
    tally, new = _rotate_week(
        house, days, chores, existing, lambda day: residents_of(house=house, night=day), rotation, today=today
    )
    tally["created"] = _save_week(
        [rotation], new, house_ids=[house.pk], first=days[0], last=days[-1], before=len(existing)
    )
    return RotationResult(
        house=house, week_start=week_start,
        created=tally["created"], reassigned=tally["reassigned"], cancelled=tally["cancelled"],
    )  # fmt: skip


def chore_rotation_generate_next_week(*, house_id: int) -> RotationResult | None:
    """Generates next week (by the organization's clock) for one house; a closed house is skipped (None).

    This is what the weekly beat job runs for every active house; being idempotent, it may run any number of times.
    """
    house = House.objects.select_related("organization").get(pk=house_id)
    if house.status != House.Status.ACTIVE:
        return None
    next_monday = calendar.week_start(house.organization.today()) + timedelta(weeks=1)
    return chore_rotation_generate(actor=None, house=house, week_start=next_monday)


@dataclass
class _Weeks:
    """Next week of many houses, read in a fixed number of queries: what ``_week_has_work`` and ``_rotate_week``
    need of each house."""

    houses: list[House]
    weeks: dict  # organization id -> the open days of next week
    today: dict  # organization id -> its today
    chores: dict
    existing: dict  # house id -> {(chore id, day): _Existing}
    living: dict  # house id -> night -> {resident id: stay id}
    credit: dict  # house id -> {stay id: starting count}
    nights: list[date]

    def working(self) -> list[House]:
        return [
            house
            for house in self.houses
            if _week_has_work(
                self.weeks[house.organization_id], self.chores[house.pk], self.existing[house.pk],
                self.living[house.pk], self.credit[house.pk], today=self.today[house.organization_id],
            )
        ]  # fmt: skip


def _next_weeks(houses: list[House], through: dict) -> _Weeks | None:
    """Next week (by each organization's clock) of ``houses``, given each organization's closed-through day; None
    when no house has an open day in it."""
    weeks, today = {}, {}
    for house in houses:
        organization = house.organization
        if organization.pk not in today:
            today[organization.pk] = organization.today()
            week_start = calendar.week_start(today[organization.pk]) + timedelta(weeks=1)
            closed = through[organization.pk]
            # A closed month's chores stay as they were (a fully closed week has nothing to generate).
            weeks[organization.pk] = [
                day
                for day in (week_start + timedelta(days=offset) for offset in range(7))
                if closed is None or day > closed
            ]
    houses = [house for house in houses if weeks[house.organization_id]]
    if not houses:
        return None
    ids = [house.pk for house in houses]
    nights = sorted({day for house in houses for day in weeks[house.organization_id]})
    chores = defaultdict(list)
    for chore in Chore.objects.filter(house_id__in=ids, is_active=True).order_by("pk"):
        chores[chore.house_id].append(chore)
    week = ChoreAssignment.objects.filter(house_id__in=ids, due_date__range=(nights[0], nights[-1]))
    existing = defaultdict(dict)  # plain rows first: most houses have nothing to change
    for row in week.values_list(*_Existing._fields):
        existing[row[1]][(row[2], row[3])] = _Existing(*row)
    living = defaultdict(lambda: defaultdict(dict))
    # The bed assignments of any night of the week, read once; each night is then the nights selector's rule
    # (``on_night``: start <= night < end) applied to them, instead of one query per night.
    week_beds = BedAssignment.objects.filter(
        Q(start__lte=nights[-1]) & (Q(end__isnull=True) | Q(end__gt=nights[0])), bed__house_id__in=ids
    )
    rows = week_beds.values_list("bed__house_id", "stay__resident_id", "stay_id", "start", "end")
    for house_id, resident_id, stay_id, start, end in rows:
        for night in nights:
            if start <= night and (end is None or night < end):
                living[house_id][night][resident_id] = stay_id
    credit = defaultdict(dict)
    members = ChoreRotationMember.objects.filter(house_id__in=ids).values_list("house_id", "stay_id", "starting_count")
    for house_id, stay_id, starting_count in members:
        credit[house_id][stay_id] = starting_count
    return _Weeks(houses, weeks, today, chores, existing, living, credit, nights)


def chore_rotation_houses_with_work(*, house_ids: list[int]) -> list[int]:
    """Which of ``house_ids`` (ids or a query of them; active houses of any organizations) next week's rotation
    would change, read without a lock in a fixed number of queries: the weekly job queues only those, so a repeat
    run queues nothing. Each queued run checks again under its locks."""
    houses = list(
        House.objects.filter(pk__in=house_ids, status=House.Status.ACTIVE).select_related("organization").order_by("pk")
    )
    through = {
        organization_id: closed_through(organization_id) for organization_id in {h.organization_id for h in houses}
    }
    state = _next_weeks(houses, through)
    return [house.pk for house in state.working()] if state is not None else []


@transaction.atomic
def chore_rotation_generate_houses(*, house_ids: list[int]) -> int:
    """The weekly job for many houses at once: generates next week (by each organization's clock) for those still
    active, exactly as ``chore_rotation_generate`` does house by house, in a number of queries that does not grow with
    the houses or their residents. Houses with nothing to change are left untouched. Returns assignments created."""
    houses = list(House.objects.filter(pk__in=house_ids).select_related("organization").order_by("pk"))
    through = {}
    for organization_id in sorted({house.organization_id for house in houses}):
        lock_books(organization_id)  # the organization first: the lock order of every dated write
        through[organization_id] = closed_through(organization_id)
    # Serializes with generations (and reassignments) of these houses, in id order so two runs cannot deadlock.
    houses = list(
        House.objects.select_for_update(of=("self",))
        .filter(pk__in=[house.pk for house in houses], status=House.Status.ACTIVE)
        .select_related("organization")
        .order_by("pk")
    )
    state = _next_weeks(houses, through)
    if state is None:
        return 0
    working = state.working()
    if not working:
        return 0
    week = ChoreAssignment.objects.filter(
        house_id__in=[house.pk for house in working], due_date__range=(state.nights[0], state.nights[-1])
    )
    existing = defaultdict(dict)  # the houses that change: their assignments as rows to settle and save
    for assignment in week:
        existing[assignment.house_id][(assignment.chore_id, assignment.due_date)] = assignment
    rotations = _Rotation.for_houses(working, credit=state.credit)
    new = []
    for house in working:
        _tally, house_new = _rotate_week(
            house, state.weeks[house.organization_id], state.chores[house.pk], existing[house.pk],
            lambda day, house=house: state.living[house.pk].get(day, {}), rotations[house.pk],
            today=state.today[house.organization_id],
        )  # fmt: skip
        new += house_new
    before = sum(len(existing[house.pk]) for house in working)
    return _save_week(
        rotations.values(), new, house_ids=[house.pk for house in working], first=state.nights[0],
        last=state.nights[-1], before=before,
    )  # fmt: skip


@transaction.atomic
def chore_assignments_release(*, actor: Membership | None, stay: Stay, since: date) -> int:
    """Takes a departing resident out of the rotation: their pending chores due on or after ``since`` in any house
    they no longer live in on the due date are reassigned fairly, or cancelled when the day has passed or nobody
    lives there. Called on discharge and on transfer; returns how many chores changed hands or were cancelled.
    """
    pending = ChoreAssignment.objects.filter(stay=stay, status=Status.PENDING, due_date__gte=since)
    changed = 0
    for house_id in sorted(set(pending.values_list("house_id", flat=True))):  # a fixed order: no lock cycles
        house = _lock_house(House(pk=house_id))
        today = house.organization.today()
        rotation = None
        living_on: dict[date, dict[int, int]] = {}
        for assignment in pending.filter(house=house).select_for_update().order_by("due_date", "pk"):
            day = assignment.due_date
            if day not in living_on:
                living_on[day] = residents_of(house=house, night=day)
            if stay.resident_id in living_on[day]:
                continue  # a move within the same house
            rotation = rotation or _Rotation(house)
            changed += _settle(assignment, living_on[day], rotation, today=today) != "kept"
        if rotation is not None:
            _Rotation.flush([rotation])
    return changed


@transaction.atomic
def chore_assignment_mark(
    *, actor: Membership, assignment: ChoreAssignment, status: str, note: str = "", by_house: bool = False
) -> ChoreAssignment:
    """Records how a chore went: done, missed or excused, with who marked it and when.

    Done and missed can be recorded from the due date on; an excuse (a pass, a medical appointment) may be given ahead
    and needs a reason in the note. A mark may be corrected; the latest one, its author and time are kept.
    A cancelled chore cannot be marked. Staff of the chore's house mark it (``NotAllowed`` for anyone else); in a
    peer-run house its coordinator does (``by_house``: the ``peer`` app checked the office).
    """
    require_staff_or_house(actor, organization_id=assignment.organization_id, house=assignment.house, by_house=by_house)
    lock_books(assignment.organization_id)  # the organization first: the lock order of every dated write
    through = closed_through(assignment.organization_id)
    if through is not None and assignment.due_date <= through:  # its month counts its chores by status
        raise MonthClosed(
            _(
                "%(due_date)s is closed; a chore due %(due_date2)s keeps the mark it had. Ask an "
                "operator to reopen %(through)s to mark it."
            )
            % {
                "due_date": date_format(assignment.due_date, _("F Y")),
                "due_date2": date_format(assignment.due_date, _("M j, Y")),
                "through": date_format(through, _("F Y")),
            },
            field="status",
        )
    assignment = ChoreAssignment.objects.select_for_update().select_related("organization").get(pk=assignment.pk)
    if status not in ChoreAssignment.MARKS:
        raise Invalid(_("Mark a chore done, missed or excused."), field="status")
    if assignment.status == Status.CANCELLED:
        raise Conflict(_("This chore was cancelled; there is nothing to mark."), field="status")
    if status != Status.EXCUSED and assignment.due_date > assignment.organization.today():
        raise Invalid(
            _(
                "This chore is due on %(due_date)s; it can be marked done or missed from that day "
                "(an excuse can be given ahead)."
            )
            % {"due_date": date_format(assignment.due_date, _("M j, Y"))},
            field="status",
        )
    note = note.strip()
    if status == Status.EXCUSED and not note:
        raise Invalid(_("Say why the chore is excused."), field="note")
    assignment.status = status
    assignment.note = note
    assignment.marked_by = actor.user
    assignment.marked_at = timezone.now()
    assignment.save(update_fields=["status", "note", "marked_by", "marked_at"])
    return assignment


def _schedule(frequency: str, weekdays) -> int:
    """The weekday bitmask for a schedule given as a frequency and a list of day names (mon ... sun)."""
    if frequency not in Chore.Frequency.values:
        raise Invalid(_("Choose daily or weekly."), field="frequency")
    weekdays = list(weekdays or [])
    unknown = [day for day in weekdays if day not in WEEKDAYS]
    if unknown:
        raise Invalid(
            _("Unknown weekday %(unknown)s; use %(join)s.")
            % {"unknown": repr(unknown[0]), "join": ", ".join(WEEKDAYS)},
            field="weekdays",
        )
    if len(set(weekdays)) != len(weekdays):
        raise Invalid(_("List each weekday once."), field="weekdays")
    mask = EVERY_DAY if frequency == Chore.Frequency.DAILY and not weekdays else weekdays_to_mask(weekdays)
    error = schedule_error(frequency, mask)
    if error:
        raise Invalid(error, field="weekdays")
    return mask


def _clean_name(house: House, name: str, *, chore: Chore | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise Invalid(_("Give the chore a name."), field="name")
    clash = Chore.objects.filter(house=house, name__iexact=name)
    if chore is not None:
        clash = clash.exclude(pk=chore.pk)
    if clash.exists():
        raise Invalid(
            _("%(name)s already has a chore called %(name2)s.") % {"name": house.name, "name2": repr(name)},
            field="name",
        )
    return name


@transaction.atomic
def chore_create(
    *,
    actor: Membership,
    house: House,
    name: str,
    frequency: str,
    weekdays=(),
    description: str = "",
    is_active: bool = True,
) -> Chore:
    """Defines a chore in an open house. Names are unique in the house (ignoring case); weekly chores name their
    weekdays, daily ones run every day. It joins the rotation from the next generated week. Staff of the house only."""
    require_staff(actor, organization_id=house.organization_id, house=house)
    house = _lock_house(house)
    if house.status != House.Status.ACTIVE:
        raise Invalid(_("%(name)s is closed.") % {"name": house.name}, field="house")
    return Chore.objects.create(
        organization_id=house.organization_id, house=house, name=_clean_name(house, name),
        description=description.strip(), frequency=frequency, weekdays=_schedule(frequency, weekdays),
        is_active=is_active,
    )  # fmt: skip


@transaction.atomic
def chore_update(*, actor: Membership, chore: Chore, **changes) -> Chore:
    """Changes a chore's name, description, schedule or active flag; a chore stays in its house.

    Pending assignments due after today that the new schedule no longer covers (or all of them, for a deactivated
    chore) are cancelled; today's stay, as they may already be done. Weeks generated later follow the new schedule.
    Staff of the chore's house only.
    """
    require_staff(actor, organization_id=chore.organization_id, house=chore.house)
    house = _lock_house(chore.house)
    chore = Chore.objects.select_for_update().get(pk=chore.pk)
    if "house" in changes and changes.pop("house").pk != chore.house_id:
        raise Invalid(_("A chore cannot move to another house; create it there instead."), field="house")
    if "name" in changes:
        chore.name = _clean_name(house, changes.pop("name"), chore=chore)
    if "description" in changes:
        chore.description = (changes.pop("description") or "").strip()
    if "is_active" in changes:
        chore.is_active = bool(changes.pop("is_active"))
    if "frequency" in changes or "weekdays" in changes:
        frequency = changes.pop("frequency", chore.frequency)
        weekdays = changes.pop("weekdays", None)
        if weekdays is None:
            weekdays = [] if frequency == Chore.Frequency.DAILY else chore.weekday_names
        chore.weekdays = _schedule(frequency, weekdays)
        chore.frequency = frequency
    if changes:
        raise Invalid(_("This cannot be changed."), field=sorted(changes)[0])
    chore.save()
    later = ChoreAssignment.objects.filter(chore=chore, status=Status.PENDING, due_date__gt=house.organization.today())
    dropped = [a.pk for a in later if not chore.is_active or not chore.runs_on(a.due_date)]
    ChoreAssignment.objects.filter(pk__in=dropped).update(status=Status.CANCELLED)
    return chore


@transaction.atomic
def chore_delete(*, actor: Membership, chore: Chore) -> None:
    """Deletes a chore that was never assigned (staff of its house). One with assignments is history: deactivate it
    instead."""
    require_staff(actor, organization_id=chore.organization_id, house=chore.house)
    chore = Chore.objects.select_for_update().get(pk=chore.pk)
    if ChoreAssignment.objects.filter(chore=chore).exists():
        raise Conflict(_("This chore has assignments on record; deactivate it (is_active: false) instead."))
    chore.delete()
