"""Reads about inspections, corrective actions, drills and equipment, shared by the API, the pages and the pack."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from accounts.calendar import local_date
from accounts.models import Membership
from houses.models import House

from ..models import CorrectiveAction, Drill, Inspection, InspectionLine, SafetyEquipment, SafetyPolicy


def safety_policy_for(house: House) -> SafetyPolicy:
    """The house's saved policy, or the defaults (not saved)."""
    return SafetyPolicy.objects.filter(house=house).first() or SafetyPolicy.default_for(house)


def safety_policies_for(*, viewer: Membership) -> QuerySet[SafetyPolicy]:
    """The saved safety policies of the houses the viewer may see, with the house joined."""
    return SafetyPolicy.objects.visible_to(viewer).select_related("house")


def inspections_for(*, viewer: Membership, house: House | None = None) -> QuerySet[Inspection]:
    """Inspections the viewer may see, with their lines and counts of answered and failed lines."""
    inspections = (
        Inspection.objects.visible_to(viewer)
        .select_related("house", "started_by", "completed_by")
        .prefetch_related(Prefetch("lines", queryset=InspectionLine.objects.select_related("room", "equipment")))
        .annotate(
            line_count=Count("lines", distinct=True),
            answered_count=Count("lines", filter=~Q(lines__result=""), distinct=True),
            failed_count=Count("lines", filter=Q(lines__result=InspectionLine.Result.FAIL), distinct=True),
        )
        .order_by("-inspected_on", "-pk")  # Meta.ordering does not apply to aggregate queries
    )
    if house is not None:
        inspections = inspections.filter(house=house)
    return inspections


def inspection_lines_for(*, viewer: Membership) -> QuerySet[InspectionLine]:
    return InspectionLine.objects.visible_to(viewer).select_related("inspection__house", "room", "equipment")


def corrective_actions_for(*, viewer: Membership, house: House | None = None) -> QuerySet[CorrectiveAction]:
    actions = CorrectiveAction.objects.visible_to(viewer).select_related(
        "house", "inspection", "line", "opened_by", "fixed_by"
    )
    return actions.filter(house=house) if house is not None else actions


def drills_for(*, viewer: Membership, house: House | None = None) -> QuerySet[Drill]:
    drills = Drill.objects.visible_to(viewer).select_related("house", "recorded_by")
    return drills.filter(house=house) if house is not None else drills


def equipment_for(*, viewer: Membership, house: House | None = None) -> QuerySet[SafetyEquipment]:
    equipment = SafetyEquipment.objects.visible_to(viewer).select_related("house")
    return equipment.filter(house=house) if house is not None else equipment


def houses_with_overdue_drills(*, viewer: Membership, on: date | None = None) -> list[House]:
    """Active houses that must hold drills (Level II and up, or Level I configured to) and held none within their
    drill interval. Each house carries ``last_drill_at`` (None if never) and ``drill_due_on``."""
    on = on or viewer.organization.today()
    houses = list(
        House.objects.visible_to(viewer)
        .filter(status=House.Status.ACTIVE)
        .select_related("organization", "safety_policy")
        .annotate(last_drill_at=Max("drills__held_at"))
        .order_by("name", "pk")
    )
    overdue = []
    for house in houses:
        policy = getattr(house, "safety_policy", None) or SafetyPolicy.default_for(house)
        if not policy.needs_drills(house.narr_level):
            continue
        if house.last_drill_at is None:
            house.drill_due_on = None
            overdue.append(house)
            continue
        held_on = local_date(house.last_drill_at, house.organization)
        house.drill_due_on = held_on + timedelta(days=policy.drill_interval_days)
        if house.drill_due_on < on:
            overdue.append(house)
    return overdue


def evidence_pack_history(*, viewer: Membership, house: House, on: date) -> dict:
    """The last twelve months of a house's inspections (with failed lines), corrective actions and drills."""
    since = on - timedelta(days=365)
    inspections = (
        Inspection.objects.visible_to(viewer)
        .filter(house=house, inspected_on__gt=since)
        .select_related("completed_by", "started_by")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=InspectionLine.objects.filter(result=InspectionLine.Result.FAIL).order_by("position"),
                to_attr="failed_lines",
            )
        )
        .annotate(line_count=Count("lines"))
        .order_by("-inspected_on", "-pk")
    )
    actions = corrective_actions_for(viewer=viewer, house=house).filter(inspection__inspected_on__gt=since)
    start = datetime.combine(since + timedelta(days=1), time.min, tzinfo=house.organization.tzinfo)
    drills = drills_for(viewer=viewer, house=house).filter(held_at__gte=start).order_by("-held_at")
    return {
        "since": since,
        "inspections": list(inspections),
        "corrective_actions": list(actions.order_by("-due_on", "-pk")),
        "drills": list(drills),
    }
