"""Weekly phase compliance: for each resident, each requirement of their phase that week, met or missed and by how much.

Each requirement is answered by an evaluator: a function taking the ``ComplianceContext`` (every stay of the report at
once) and returning ``{stay id: RequirementResult}``, running a fixed number of queries whatever the number of stays.

Requirements counted over a period still running (the current week's meetings, the current month's tests) are
"so far" and not yet missed until the period ends, so nobody is called behind on a Tuesday.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import calendar
from accounts.exceptions import Invalid
from accounts.models import Membership, Organization
from houses.models import House
from residents.models import DrugTest, OvernightPass, Phase, PhaseChange, RecoveryMeetingAttendance, Stay
from residents.program.selectors.phases import change_on, phase_timelines
from residents.program.selectors.signouts import find_curfew_violations


class Requirement(models.TextChoices):
    """Each requirement of a phase, in the order they are shown, and what each is called."""

    OUTSIDE_MEETINGS = "outside_meetings", _("Outside meetings this week")
    DRUG_TESTS = "drug_tests", _("Drug tests this month")
    CURFEW = "curfew", _("Curfew this week")
    OVERNIGHT_PASSES = "overnight_passes", _("Overnight passes this month")
    DAYS_IN_PHASE = "days_in_phase", _("Days in phase")


LABELS = dict(Requirement.choices)


class RequirementStatus(models.TextChoices):
    """Where a resident stands on one requirement (the value is what the API shows)."""

    MET = "met", _("Met")
    MISSED = "missed", _("Missed")
    SO_FAR = "so far", _("So far")  # a minimum not reached while its period still runs
    NO_CURFEW = "no curfew", _("No curfew")
    ELIGIBLE = "eligible for promotion", _("Eligible")
    NOT_YET_ELIGIBLE = "not yet eligible", _("Not yet")
    TOP_PHASE = "top phase", _("Top phase")


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


@dataclass(frozen=True)
class RequirementResult:
    """One requirement's answer for one resident. ``required`` is a minimum (or, for curfew and passes, a maximum);
    ``met`` is None while not tracked yet; ``missed_by`` is how far from met (0 when met); ``informational`` answers
    never make a resident "behind". ``nights`` is the curfew's only; ``eligible_*`` are the days in phase's only."""

    requirement: Requirement
    unit: str
    required: int | None
    actual: int | None
    met: bool | None
    missed_by: int | None
    status: RequirementStatus
    informational: bool = False
    nights: list[date] | None = None
    eligible_for_promotion: bool | None = None
    eligible_on: date | None = None

    @property
    def label(self) -> str:
        return Requirement(self.requirement).label


Evaluator = Callable[[ComplianceContext], dict[int, RequirementResult]]


def _met_or_missed(missed_by: int) -> RequirementStatus:
    return RequirementStatus.MET if missed_by == 0 else RequirementStatus.MISSED


def at_least(requirement: Requirement, required: int, actual: int, *, unit: str = "times") -> RequirementResult:
    """A minimum to reach (meetings, tests): missed by the shortfall."""
    missed_by = max(0, required - actual)
    return RequirementResult(
        requirement, unit, required=required, actual=actual, met=missed_by == 0, missed_by=missed_by,
        status=_met_or_missed(missed_by),
    )  # fmt: skip


def at_most(requirement: Requirement, allowed: int, actual: int, *, unit: str) -> RequirementResult:
    """A ceiling not to pass (violations, passes): missed by the excess."""
    missed_by = max(0, actual - allowed)
    return RequirementResult(
        requirement, unit, required=allowed, actual=actual, met=missed_by == 0, missed_by=missed_by,
        status=_met_or_missed(missed_by),
    )  # fmt: skip


def _so_far(answer: RequirementResult, *, period_over: bool) -> RequirementResult:
    """A minimum not reached while its period still runs is not missed yet."""
    if answer.met is False and not period_over:
        return replace(answer, met=None, status=RequirementStatus.SO_FAR)
    return answer


def evaluate_outside_meetings(ctx: ComplianceContext) -> dict[int, RequirementResult]:
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
            at_least(Requirement.OUTSIDE_MEETINGS, ctx.phase_of[stay.pk].meetings_per_week, counts.get(stay.pk, 0),
                     unit="meetings"),
            period_over=over,
        )
        for stay in ctx.stays_in_a_phase
    }  # fmt: skip


def evaluate_drug_tests(ctx: ComplianceContext) -> dict[int, RequirementResult]:
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
            at_least(
                Requirement.DRUG_TESTS, ctx.phase_of[stay.pk].drug_tests_per_month, counts.get(stay.pk, 0), unit="tests"
            ),
            period_over=over,
        )
        for stay in ctx.stays_in_a_phase
    }


def evaluate_curfew(ctx: ComplianceContext) -> dict[int, RequirementResult]:
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
            answers[stay.pk] = RequirementResult(
                Requirement.CURFEW, "violations", required=None, actual=0, met=True, missed_by=0,
                status=RequirementStatus.NO_CURFEW, nights=[],
            )  # fmt: skip
            continue
        answers[stay.pk] = replace(at_most(Requirement.CURFEW, 0, len(late), unit="violations"), nights=late)
    return answers


def evaluate_overnight_passes(ctx: ComplianceContext) -> dict[int, RequirementResult]:
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
        stay.pk: at_most(Requirement.OVERNIGHT_PASSES, ctx.change_of[stay.pk].phase.passes_per_month,
                         used.get(stay.pk, 0), unit="passes")
        for stay in ctx.stays_in_a_phase
    }  # fmt: skip


def evaluate_days_in_phase(ctx: ComplianceContext) -> dict[int, RequirementResult]:
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
        if top:
            status = RequirementStatus.TOP_PHASE
        else:
            status = RequirementStatus.ELIGIBLE if reached else RequirementStatus.NOT_YET_ELIGIBLE
        answers[stay.pk] = RequirementResult(
            Requirement.DAYS_IN_PHASE, "days", required=needed, actual=days, met=reached,
            missed_by=max(0, needed - days), status=status, informational=True,
            eligible_for_promotion=reached and not top, eligible_on=change.effective_on + timedelta(days=needed),
        )  # fmt: skip
    return answers


# Every requirement and the function that answers it, in bulk.
EVALUATORS: dict[Requirement, Evaluator] = {
    Requirement.OUTSIDE_MEETINGS: evaluate_outside_meetings,
    Requirement.DRUG_TESTS: evaluate_drug_tests,
    Requirement.CURFEW: evaluate_curfew,
    Requirement.OVERNIGHT_PASSES: evaluate_overnight_passes,
    Requirement.DAYS_IN_PHASE: evaluate_days_in_phase,
}


@dataclass
class ResidentCompliance:
    """One resident's week: their phase (in force on the week's last day that has begun) and each requirement."""

    stay: Stay
    change: PhaseChange | None
    week_start: date
    week_end: date
    requirements: list[RequirementResult]

    @property
    def phase(self) -> Phase | None:
        return self.change.phase if self.change else None

    @property
    def phase_since(self) -> date | None:
        return self.change.effective_on if self.change else None

    @property
    def behind(self) -> bool:
        """Falling behind: at least one tracked, non-informational requirement missed."""
        return bool(self.missed)

    @property
    def missed(self) -> list[RequirementResult]:
        """The tracked, non-informational requirements missed this week."""
        return [r for r in self.requirements if r.met is False and not r.informational]


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
    week_start = calendar.week_start(week_start)
    week_end = week_start + timedelta(days=6)
    if week_start > today:
        raise Invalid(_("This week has not begun."), field="week")
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
            for name in Requirement:
                if name in answers:
                    requirements.append(answers[name][stay.pk])
        rows.append(ResidentCompliance(stay, change, week_start, week_end, requirements))
    return rows


def compliance_stays(*, viewer: Membership) -> QuerySet[Stay]:
    """Stays the viewer may see, with resident and house: the rows the compliance list filters, searches and orders
    before ``phase_compliance`` judges their week."""
    return Stay.objects.visible_to(viewer).select_related("resident", "house")
