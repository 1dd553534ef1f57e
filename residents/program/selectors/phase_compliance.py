"""Weekly phase compliance: for each resident, each requirement of their phase that week, met or missed and by how much.

Each requirement is answered by an evaluator: a function taking the ``ComplianceContext`` (every stay of the report at
once) and returning ``{stay id: result}``, running a fixed number of queries whatever the number of stays.

Requirements counted over a period still running (the current week's meetings, the current month's tests) are
"so far" and not yet missed until the period ends, so nobody is called behind on a Tuesday.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.exceptions import DomainError
from accounts.models import Membership, Organization
from houses.models import House
from residents.models import DrugTest, OvernightPass, Phase, PhaseChange, RecoveryMeetingAttendance, Stay
from residents.program.selectors.phases import change_on, phase_timelines
from residents.program.selectors.signouts import find_curfew_violations

# The order requirements are shown in, and what each is called.
LABELS = {
    "outside_meetings": "Outside meetings this week",
    "drug_tests": "Drug tests this month",
    "curfew": "Curfew this week",
    "overnight_passes": "Overnight passes this month",
    "days_in_phase": "Days in phase",
}


@dataclass
class ComplianceContext:
    """Everything an evaluator needs, loaded once for every stay of the report."""

    organization: Organization
    week_start: date
    week_end: date
    as_of: date  # the last day of the week that has begun: today, or the week's Sunday
    now: datetime
    stays: list[Stay]
    timelines: dict[int, list[PhaseChange]]
    phases: list[Phase]  # the organization's phases, lowest first
    change_of: dict[int, PhaseChange | None] = field(default_factory=dict)  # the change in force on each stay's as_of

    @property
    def week(self) -> tuple[date, date]:
        return (self.week_start, self.week_end)

    @property
    def month(self) -> tuple[date, date]:
        """The calendar month of ``as_of``: monthly requirements are judged on it."""
        first = self.as_of.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return (first, last)

    @property
    def stay_ids(self) -> list[int]:
        return [stay.pk for stay in self.stays]

    @property
    def phase_of(self) -> dict[int, Phase]:
        return {stay_id: change.phase for stay_id, change in self.change_of.items() if change is not None}

    @property
    def stays_in_a_phase(self) -> list[Stay]:
        return [stay for stay in self.stays if self.change_of.get(stay.pk) is not None]

    def last_day_of(self, stay: Stay) -> date:
        """The last day of the week the stay counts for: ``as_of``, or its last night when it ended earlier."""
        if stay.move_out is not None:
            return min(self.as_of, stay.move_out - timedelta(days=1))
        return self.as_of


Result = dict
Evaluator = Callable[[ComplianceContext], dict[int, Result]]


def result(
    requirement: str, *, required: int | None, actual: int | None, met: bool | None, missed_by: int | None,
    status: str, unit: str, informational: bool = False, **extra,
) -> Result:  # fmt: skip
    """One requirement's answer. ``missed_by`` is how far from met (0 when met); ``informational`` answers never make
    a resident "behind"."""
    return {
        "requirement": requirement, "label": LABELS.get(requirement, requirement), "unit": unit,
        "required": required, "actual": actual, "met": met, "missed_by": missed_by, "status": status,
        "informational": informational, **extra,
    }  # fmt: skip


def at_least(requirement: str, required: int, actual: int, *, unit: str = "times") -> Result:
    """A minimum to reach (meetings, tests): missed by the shortfall."""
    missed_by = max(0, required - actual)
    return result(
        requirement, required=required, actual=actual, met=missed_by == 0, missed_by=missed_by,
        status="met" if missed_by == 0 else "missed", unit=unit,
    )  # fmt: skip


def at_most(requirement: str, allowed: int, actual: int, *, unit: str) -> Result:
    """A ceiling not to pass (violations, passes): missed by the excess."""
    missed_by = max(0, actual - allowed)
    return result(
        requirement, required=allowed, actual=actual, met=missed_by == 0, missed_by=missed_by,
        status="met" if missed_by == 0 else "missed", unit=unit,
    )  # fmt: skip


def _so_far(answer: Result, *, period_over: bool) -> Result:
    """A minimum not reached while its period still runs is not missed yet."""
    if answer["met"] is False and not period_over:
        return {**answer, "met": None, "status": "so far"}
    return answer


def evaluate_outside_meetings(ctx: ComplianceContext) -> dict[int, Result]:
    """Outside recovery meetings attended in the week (by ``attended_on``) against the phase's meetings a week."""
    counts = dict(
        RecoveryMeetingAttendance.objects.filter(stay_id__in=ctx.stay_ids, attended_on__range=ctx.week)
        .values_list("stay_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    over = ctx.as_of >= ctx.week_end
    return {
        stay.pk: _so_far(
            at_least("outside_meetings", ctx.phase_of[stay.pk].meetings_per_week, counts.get(stay.pk, 0),
                     unit="meetings"),
            period_over=over,
        )
        for stay in ctx.stays_in_a_phase
    }  # fmt: skip


def evaluate_drug_tests(ctx: ComplianceContext) -> dict[int, Result]:
    """Drug tests collected in ``as_of``'s month (the organization's calendar) against the phase's tests a month.
    Every recorded test counts, whatever its result: the requirement is to be tested."""
    first, last = ctx.month
    tz = ctx.organization.tzinfo
    start = datetime.combine(first, datetime.min.time(), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    counts = dict(
        DrugTest.objects.filter(stay_id__in=ctx.stay_ids, collected_at__gte=start, collected_at__lt=end)
        .values_list("stay_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    over = ctx.as_of >= last
    return {
        stay.pk: _so_far(
            at_least("drug_tests", ctx.phase_of[stay.pk].drug_tests_per_month, counts.get(stay.pk, 0), unit="tests"),
            period_over=over,
        )
        for stay in ctx.stays_in_a_phase
    }


def evaluate_curfew(ctx: ComplianceContext) -> dict[int, Result]:
    """Nights of the week (up to ``as_of``) the resident was out past curfew; none are allowed. A phase with no
    curfew on any night has nothing to miss."""
    stays = ctx.stays_in_a_phase
    violations = find_curfew_violations(
        organization=ctx.organization, stays=stays, first_night=ctx.week_start, last_night=ctx.as_of, now=ctx.now,
        timelines=ctx.timelines,
    )  # fmt: skip
    nights: dict[int, list[date]] = {}
    for violation in violations:
        nights.setdefault(violation.stay.pk, []).append(violation.night)
    answers = {}
    for stay in stays:
        phase = ctx.change_of[stay.pk].phase
        late = sorted(nights.get(stay.pk, []))
        if phase.weeknight_curfew is None and phase.weekend_curfew is None and not late:
            answers[stay.pk] = result(
                "curfew", required=None, actual=0, met=True, missed_by=0, status="no curfew", unit="violations",
                nights=[],
            )  # fmt: skip
            continue
        answers[stay.pk] = {**at_most("curfew", 0, len(late), unit="violations"), "nights": late}
    return answers


def evaluate_overnight_passes(ctx: ComplianceContext) -> dict[int, Result]:
    """Approved passes leaving in ``as_of``'s month against the phase's passes a month (approved with override
    beyond it shows as missed)."""
    first, last = ctx.month
    used = dict(
        OvernightPass.objects.filter(
            stay_id__in=ctx.stay_ids, status=OvernightPass.Status.APPROVED, leave_on__range=(first, last)
        )
        .values_list("stay_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        stay.pk: at_most("overnight_passes", ctx.change_of[stay.pk].phase.passes_per_month, used.get(stay.pk, 0),
                         unit="passes")
        for stay in ctx.stays_in_a_phase
    }  # fmt: skip


def evaluate_days_in_phase(ctx: ComplianceContext) -> dict[int, Result]:
    """Days in the current phase against its minimum before promotion. Informational: it says whether the resident
    may be promoted, never that they are behind."""
    top_order = ctx.phases[-1].order if ctx.phases else None
    answers = {}
    for stay in ctx.stays_in_a_phase:
        change = ctx.change_of[stay.pk]
        days = (ctx.last_day_of(stay) - change.effective_on).days
        needed = change.phase.min_days_before_promotion
        top = change.phase.order == top_order
        reached = days >= needed
        status = "top phase" if top else "eligible for promotion" if reached else "not yet eligible"
        answers[stay.pk] = result(
            "days_in_phase", required=needed, actual=days, met=reached, missed_by=max(0, needed - days),
            status=status, unit="days", informational=True,
            eligible_for_promotion=reached and not top, eligible_on=change.effective_on + timedelta(days=needed),
        )  # fmt: skip
    return answers


# Every requirement and the function that answers it, in bulk.
EVALUATORS: dict[str, Evaluator] = {
    "outside_meetings": evaluate_outside_meetings,
    "drug_tests": evaluate_drug_tests,
    "curfew": evaluate_curfew,
    "overnight_passes": evaluate_overnight_passes,
    "days_in_phase": evaluate_days_in_phase,
}


@dataclass
class ResidentCompliance:
    """One resident's week: their phase (in force on the week's last day that has begun) and each requirement."""

    stay: Stay
    change: PhaseChange | None
    week_start: date
    week_end: date
    requirements: list[Result]

    @property
    def phase(self) -> Phase | None:
        return self.change.phase if self.change else None

    @property
    def phase_since(self) -> date | None:
        return self.change.effective_on if self.change else None

    @property
    def behind(self) -> bool:
        """Falling behind: at least one tracked, non-informational requirement missed."""
        return any(r["met"] is False and not r["informational"] for r in self.requirements)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def phase_compliance(
    *, viewer: Membership, week_start: date, house: House | None = None, stays: QuerySet[Stay] | None = None,
    now: datetime | None = None,
) -> list[ResidentCompliance]:  # fmt: skip
    """Each resident's phase requirements for the week (Monday to Sunday) containing ``week_start``.

    Residents are the stays the viewer may see (of ``house``, when given; among ``stays``, when given) that lived
    in a house on at least one night of the week up to today. A resident with no phase yet has no requirements.
    Constant queries: one for the stays, one for the phase history, one for the phases, plus each evaluator's."""
    organization = viewer.organization
    today = organization.today()
    week_start = monday_of(week_start)
    week_end = week_start + timedelta(days=6)
    if week_start > today:
        raise DomainError("This week has not begun.", field="week")
    as_of = min(week_end, today)
    stays = (stays if stays is not None else Stay.objects.order_by("resident__legal_last_name", "pk")).visible_to(
        viewer
    )
    stays = stays.filter(Q(move_out__isnull=True) | Q(move_out__gt=week_start), move_in__lte=as_of)
    if house is not None:
        stays = stays.filter(house=house)
    stays = list(stays.select_related("resident", "house"))
    ctx = ComplianceContext(
        organization=organization, week_start=week_start, week_end=week_end, as_of=as_of,
        now=now or timezone.now(), stays=stays, timelines=phase_timelines(stay.pk for stay in stays),
        phases=list(Phase.objects.filter(organization=organization).order_by("order")),
    )  # fmt: skip
    ctx.change_of = {stay.pk: change_on(ctx.timelines.get(stay.pk, []), ctx.last_day_of(stay)) for stay in stays}
    answers = {name: evaluator(ctx) for name, evaluator in EVALUATORS.items()}
    rows = []
    for stay in stays:
        change = ctx.change_of[stay.pk]
        requirements = []
        if change is not None:
            for name in LABELS:
                if name in answers:
                    requirements.append(answers[name][stay.pk])
        rows.append(ResidentCompliance(stay, change, week_start, week_end, requirements))
    return rows
