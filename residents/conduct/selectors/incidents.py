"""Reads about incidents and resident notes (staff only), shared by the API, pages and reports."""

from django.db.models import QuerySet

from accounts.audit import audited
from accounts.models import Membership
from residents.models import Incident, ResidentNote


def incidents_for(*, viewer: Membership) -> QuerySet[Incident]:
    """Incidents of the houses the viewer may see, with the house, reporter and residents involved, archived ones left
    out (``residents.retention``); the rows fetched are an audited read by the viewer (``accounts.audit.audited``)."""
    incidents = (
        Incident.objects.visible_to(viewer)
        .in_view()
        .select_related("house", "reported_by")
        .prefetch_related("residents")
    )
    return audited(incidents, viewer=viewer)


def resident_notes_for(*, viewer: Membership) -> QuerySet[ResidentNote]:
    """Notes filed under the houses the viewer may see (operators: every note), with resident and author, archived
    ones left out (``residents.retention``); the rows fetched are an audited read by the viewer."""
    notes = ResidentNote.objects.visible_to(viewer).in_view().select_related("resident", "house", "author")
    return audited(notes, viewer=viewer)
