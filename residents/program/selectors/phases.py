"""Reads of program phases: the phase each stay is in, now or on any date, in bulk."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from accounts.models import Membership
from houses.models import House
from residents.models import Phase, PhaseChange, Stay


def phases_for(*, viewer: Membership) -> QuerySet[Phase]:
    """The organization's phases, lowest order first."""
    return Phase.objects.visible_to(viewer).order_by("order")


def phase_history(*, viewer: Membership) -> QuerySet[PhaseChange]:
    """Phase changes the viewer may see, with stay, resident, house, phase and who made them."""
    return PhaseChange.objects.visible_to(viewer).select_related("stay__resident", "stay__house", "phase", "changed_by")


def _latest_change():
    return PhaseChange.objects.filter(stay=OuterRef("pk")).order_by("-effective_on", "-pk")


def with_current_phase(stays: QuerySet[Stay]) -> QuerySet[Stay]:
    """Annotates each stay with the phase in force (the latest change): ``current_phase_id``, ``_name``,
    ``_order``, ``_min_days``, ``current_phase_since`` and ``current_phase_is_top`` (no higher phase exists).
    One query whatever the number of stays."""
    latest = _latest_change()
    higher = Phase.objects.filter(
        organization_id=OuterRef("organization_id"), order__gt=OuterRef("current_phase_order")
    )
    return stays.annotate(
        current_phase_id=Subquery(latest.values("phase_id")[:1]),
        current_phase_name=Subquery(latest.values("phase__name")[:1]),
        current_phase_order=Subquery(latest.values("phase__order")[:1]),
        current_phase_min_days=Subquery(latest.values("phase__min_days_before_promotion")[:1]),
        current_phase_since=Subquery(latest.values("effective_on")[:1]),
    ).annotate(current_phase_is_top=~Exists(higher))


def current_phases(*, viewer: Membership, house: House | None = None) -> QuerySet[Stay]:
    """Current residents (open stays) the viewer may see, with resident and house, annotated with their phase."""
    stays = Stay.objects.visible_to(viewer).open().select_related("resident", "house")
    if house is not None:
        stays = stays.filter(house=house)
    return with_current_phase(stays)


def phase_timelines(stay_ids: Iterable[int]) -> dict[int, list[PhaseChange]]:
    """Every stay's phase changes with their phase, oldest first, in one query: feed to ``phase_on``."""
    timelines: dict[int, list[PhaseChange]] = defaultdict(list)
    changes = PhaseChange.objects.filter(stay_id__in=list(stay_ids)).select_related("phase")
    for change in changes.order_by("effective_on", "pk"):
        timelines[change.stay_id].append(change)
    return timelines


def change_on(timeline: list[PhaseChange], day: date) -> PhaseChange | None:
    """The change in force on ``day``: the latest one effective on or before it."""
    in_force = None
    for change in timeline:
        if change.effective_on > day:
            break
        in_force = change
    return in_force


def phase_on(timeline: list[PhaseChange], day: date) -> Phase | None:
    change = change_on(timeline, day)
    return change.phase if change else None
