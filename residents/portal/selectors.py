"""Reads for the resident portal: a resident's own records, gathered from the topic selectors.

Every function takes the viewer (a resident's membership) and reads through the topic selectors, which already scope
to the resident's own records; what this module adds is the portal's grouping ("what needs doing", rules by
category, the week's chores). Each function runs a fixed number of queries whatever the resident's history holds.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from accounts.calendar import week_of
from accounts.models import Membership, Role
from residents.chores.selectors import chore_assignments_for
from residents.conduct.selectors.grievances import grievances_for
from residents.house_rules.selectors import (
    acknowledgements_for,
    current_rule_set_of_stay,
    has_language,
    unsigned_stays,
)
from residents.models import (
    ChoreAssignment,
    DrugTest,
    Grievance,
    HouseMeeting,
    OvernightPass,
    Phase,
    PhaseChange,
    RuleAcknowledgement,
    RuleCategory,
    RuleSet,
    SignOut,
    Stay,
    TestRequest,
)
from residents.program.selectors.phase_compliance import ResidentCompliance, phase_compliance
from residents.program.selectors.phases import phase_history, phases_for
from residents.program.selectors.signouts import passes_for, sign_outs_for
from residents.program.services.signouts import passes_used
from residents.testing.selectors import drug_tests_for, test_requests_for

# How many house meetings the meetings page lists: the recent ones, with the total beside them.
RECENT_HOUSE_MEETINGS = 12


# Rules ----------------------------------------------------------------------------------------------------------------


@dataclass
class RulesStanding:
    """The current rule set of the resident's house, grouped for reading, and their signatures."""

    rule_set: RuleSet | None
    categories: list[tuple[str, list]]  # (category label, rule versions), in the order categories are declared
    signatures: list[RuleAcknowledgement]  # every signature of theirs, newest first
    signed_current: RuleAcknowledgement | None  # their signature of the current version during this stay
    language: str = "en"  # the language the rules are shown (and signed) in
    reads: str = "en"  # the language the resident reads (Resident.preferred_language)
    needs_signing: bool = False  # the staff's unsigned list names them (house_rules.selectors.unsigned_stays)

    @property
    def language_missing(self) -> bool:
        """The resident reads a language the current rules have no text in yet: they are shown the English."""
        return self.rule_set is not None and self.language != self.reads


def rules_standing(*, viewer: Membership, stay: Stay | None) -> RulesStanding:
    """The current rules of the house the resident lives in, and whether they signed this version in this stay (a
    returning resident signs again, as the signing service requires), in the language the resident reads when every
    rule has its text in it, else in English. Three queries."""
    resident = getattr(viewer, "resident", None)
    reads = resident.preferred_language if resident is not None else "en"
    signatures = list(acknowledgements_for(viewer=viewer).order_by("-signed_at", "-pk"))
    # The house slept in tonight: a transfer dated ahead has already rewritten ``stay.house``.
    night = viewer.organization.today()
    rule_set = current_rule_set_of_stay(viewer=viewer, stay=stay, night=night) if stay is not None else None
    if rule_set is None:
        return RulesStanding(None, [], signatures, None, reads=reads)
    language = reads if has_language(rule_set.rules.all(), reads) else "en"
    order = {code: index for index, code in enumerate(RuleCategory.values)}
    grouped: dict[str, list] = {}
    for version in sorted(rule_set.rules.all(), key=lambda v: (order.get(v.category, len(order)), v.rule_id)):
        grouped.setdefault(version.category, []).append(version)
    categories = [(RuleCategory(code).label, versions) for code, versions in grouped.items()]
    signed = next((s for s in signatures if s.rule_set_id == rule_set.pk and s.stay_id == stay.pk), None)
    needs_signing = unsigned_stays(night=night, houses=[rule_set.house_id]).filter(pk=stay.pk).exists()
    return RulesStanding(
        rule_set, categories, signatures, signed, language=language, reads=reads, needs_signing=needs_signing
    )


# Phase ----------------------------------------------------------------------------------------------------------------


def week_standing(*, viewer: Membership, stay: Stay | None, today: date) -> ResidentCompliance | None:
    """This week's phase requirements for the resident's current stay (None before move-in or without a stay)."""
    if stay is None or stay.move_in > today:
        return None
    rows = phase_compliance(viewer=viewer, week_start=today, stays=Stay.objects.filter(pk=stay.pk))
    return rows[0] if rows else None


def my_phase_history(*, viewer: Membership, stay: Stay) -> QuerySet[PhaseChange]:
    """The stay's phase changes, newest first."""
    return phase_history(viewer=viewer).filter(stay=stay).order_by("-effective_on", "-pk")


def next_phase(*, viewer: Membership, phase: Phase | None) -> Phase | None:
    """The phase after ``phase`` in the organization's program, or None at the top."""
    if phase is None:
        return None
    return phases_for(viewer=viewer).filter(order__gt=phase.order).first()


# Chores, tests, meetings ----------------------------------------------------------------------------------------------


def chores_this_week(*, viewer: Membership, today: date) -> QuerySet[ChoreAssignment]:
    """The resident's chores of the week (Monday to Sunday) containing ``today``, in due order; cancelled ones (taken
    back when the rotation changed) are left out."""
    monday, sunday = week_of(today)
    return (
        chore_assignments_for(viewer=viewer)
        .live()
        .filter(due_date__range=(monday, sunday))
        .order_by("due_date", "chore__name", "pk")
    )


def my_tests(*, viewer: Membership) -> QuerySet[DrugTest]:
    """The resident's drug tests, newest first."""
    return drug_tests_for(viewer=viewer).order_by("-collected_at", "-pk")


def tests_due(*, viewer: Membership, today: date) -> QuerySet[TestRequest]:
    """The resident's open test requests, soonest due first, each with ``is_overdue`` (due before ``today``)."""
    return (
        test_requests_for(viewer=viewer)
        .open()
        .annotate(
            is_overdue=Case(When(due_on__lt=today, then=Value(True)), default=Value(False), output_field=BooleanField())
        )
        .order_by("due_on", "pk")
    )


def house_meetings_attended(*, viewer: Membership) -> QuerySet[HouseMeeting]:
    """House meetings the logged-in resident is recorded as attending, newest first (staff attend none)."""
    return (
        HouseMeeting.objects.filter(organization_id=viewer.organization_id, attendees__membership=viewer)
        .select_related("house", "facilitator__user")
        .order_by("-held_at", "-pk")
    )


# Sign-outs and passes -------------------------------------------------------------------------------------------------


def my_sign_outs(*, viewer: Membership) -> QuerySet[SignOut]:
    """The resident's sign-outs, latest first."""
    return sign_outs_for(viewer=viewer).order_by("-signed_out_at", "-pk")


def open_sign_out(*, viewer: Membership, stay: Stay | None) -> SignOut | None:
    """The sign-out of the current stay not yet closed by a sign-in: the resident is out now."""
    if stay is None:
        return None
    return sign_outs_for(viewer=viewer).open().filter(stay=stay).first()


def my_passes(*, viewer: Membership, today: date) -> QuerySet[OvernightPass]:
    """The resident's overnight passes, latest leave date first, each with ``cancellable``: waiting, or approved and
    not yet begun (what ``pass_cancel`` accepts), so the page offers the button only where it can work."""
    waiting_or_ahead = Q(status=OvernightPass.Status.REQUESTED) | Q(
        status=OvernightPass.Status.APPROVED, leave_on__gt=today
    )
    cancellable = Case(When(waiting_or_ahead, then=Value(True)), default=Value(False), output_field=BooleanField())
    return passes_for(viewer=viewer).annotate(cancellable=cancellable).order_by("-leave_on", "-pk")


@dataclass
class PassAllowance:
    """Overnight passes the resident's phase allows a month, against those approved and waiting in ``month``."""

    phase: Phase
    month: date
    allowed: int
    used: int
    waiting: int

    @property
    def used_up(self) -> bool:
        """Every pass the phase allows this month is approved: another one needs an exception."""
        return self.used >= self.allowed


def pass_allowance(*, viewer: Membership, stay: Stay | None, today: date) -> PassAllowance | None:
    """This month's allowance of the phase the resident is in today; None without a stay or a phase. Approval counts
    a pass against the phase in force on its first night, by the month it leaves in (``pass_approve``)."""
    if stay is None:
        return None
    change = PhaseChange.objects.filter(stay=stay, effective_on__lte=today).select_related("phase")
    change = change.order_by("-effective_on", "-pk").first()
    if change is None:
        return None
    waiting = OvernightPass.objects.filter(
        stay=stay, status=OvernightPass.Status.REQUESTED, leave_on__year=today.year, leave_on__month=today.month
    ).count()
    return PassAllowance(
        phase=change.phase,
        month=today.replace(day=1),
        allowed=change.phase.passes_per_month,
        used=passes_used(stay=stay, month=today),
        waiting=waiting,
    )


# Grievances -----------------------------------------------------------------------------------------------------------


def my_grievances(*, viewer: Membership) -> QuerySet[Grievance]:
    """The resident's grievances, newest first."""
    return grievances_for(viewer=viewer).order_by("-filed_at", "-pk")


def staff_to_name(*, viewer: Membership) -> QuerySet[Membership]:
    """The organization's active operators and managers: who a grievance about staff may name."""
    return (
        Membership.objects.active()
        .filter(organization_id=viewer.organization_id, role__in=[Role.OPERATOR, Role.MANAGER])
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


# Home -----------------------------------------------------------------------------------------------------------------


@dataclass
class PortalHome:
    """What the portal's home page shows: where the resident lives, how they stand, and what needs doing."""

    today: date
    stay: Stay | None
    standing: ResidentCompliance | None
    rules: RulesStanding
    sign_out: SignOut | None
    chores_today: list[ChoreAssignment] = field(default_factory=list)
    tests_due: list[TestRequest] = field(default_factory=list)
    passes_waiting: list[OvernightPass] = field(default_factory=list)

    @property
    def chores_to_do(self) -> list[ChoreAssignment]:
        return [chore for chore in self.chores_today if chore.status == ChoreAssignment.Status.PENDING]

    @property
    def nothing_to_do(self) -> bool:
        return not (self.rules.needs_signing or self.chores_to_do or self.tests_due or self.passes_waiting)


def portal_home(*, viewer: Membership, stay: Stay | None) -> PortalHome:
    """The home page's reads, for the resident's current stay (``current_stay_for_member``)."""
    today = viewer.organization.today()
    passes = passes_for(viewer=viewer).filter(status=OvernightPass.Status.REQUESTED).order_by("leave_on", "pk")
    return PortalHome(
        today=today,
        stay=stay,
        standing=week_standing(viewer=viewer, stay=stay, today=today),
        rules=rules_standing(viewer=viewer, stay=stay),
        sign_out=open_sign_out(viewer=viewer, stay=stay),
        chores_today=list(chores_this_week(viewer=viewer, today=today).filter(due_date=today)),
        tests_due=list(tests_due(viewer=viewer, today=today)),
        passes_waiting=list(passes),
    )
