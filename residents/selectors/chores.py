"""Reads about chores shared by the API, pages and reports."""

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from accounts.models import Membership
from houses.models import House
from residents.models import Chore, ChoreAssignment, Stay


def week_of(day: date) -> tuple[date, date]:
    """The rotation week (Monday to Sunday) that contains ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def residents_living_in(*, house: House, day: date) -> dict[int, int]:
    """Who lives in ``house`` on night ``day``, as {resident id: stay id}.

    A resident lives there when their stay covers the night (``Stay.on_night``: move_in <= day < move_out) and one of
    its bed assignments in this house covers it too (start <= day < end). The bed assignment, not ``Stay.house``
    (which is only the current house), says where a transferred resident slept on a given night.
    """
    stays = (
        Stay.objects.on_night(day)
        .filter(
            Q(bed_assignments__end__isnull=True) | Q(bed_assignments__end__gt=day),
            bed_assignments__bed__house=house,
            bed_assignments__start__lte=day,
        )
        .values_list("resident_id", "pk")
        .distinct()
    )
    return dict(stays)


def chores_for(*, viewer: Membership) -> QuerySet[Chore]:
    """Chore definitions of the houses the member may see."""
    return Chore.objects.visible_to(viewer).select_related("house")


def chore_assignments_for(*, viewer: Membership) -> QuerySet[ChoreAssignment]:
    """Chore assignments the member may see (a resident: only their own), with chore, house, resident and marker."""
    return ChoreAssignment.objects.visible_to(viewer).select_related("house", "chore", "resident", "marked_by")


def chore_week(*, viewer: Membership, house: House, week_start: date) -> QuerySet[ChoreAssignment]:
    """One house's assignments for the week starting on ``week_start`` (a Monday), in due order."""
    return (
        chore_assignments_for(viewer=viewer)
        .filter(house=house, due_date__range=(week_start, week_start + timedelta(days=6)))
        .order_by("due_date", "chore__name", "pk")
    )
