"""Reads about incidents and resident notes (staff only), shared by the API, pages and reports."""

from django.db.models import QuerySet

from accounts.models import Membership
from residents.models import Incident, ResidentNote


def incidents_for(*, viewer: Membership) -> QuerySet[Incident]:
    """Incidents of the houses the viewer may see, with the house, reporter and residents involved."""
    return Incident.objects.visible_to(viewer).select_related("house", "reported_by").prefetch_related("residents")


def resident_notes_for(*, viewer: Membership) -> QuerySet[ResidentNote]:
    """Notes filed under the houses the viewer may see (operators: every note), with resident and author."""
    return ResidentNote.objects.visible_to(viewer).select_related("resident", "house", "author")
