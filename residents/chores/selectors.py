"""Reads about chores shared by the API, pages and reports."""

from datetime import date, timedelta

from django.db.models import QuerySet

from accounts.models import Membership
from houses.models import House
from residents.models import Chore, ChoreAssignment


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
