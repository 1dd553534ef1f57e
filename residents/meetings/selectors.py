"""Reads about house meetings and outside recovery meetings, shared by the API, pages and reports."""

from django.db.models import QuerySet

from accounts.models import Membership
from residents.models import HouseMeeting, RecoveryMeetingAttendance


def house_meetings_for(*, viewer: Membership) -> QuerySet[HouseMeeting]:
    """House meetings of the houses the member may see, with house, facilitator and attendees."""
    return (
        HouseMeeting.objects.visible_to(viewer)
        .select_related("house", "facilitator__user")
        .prefetch_related("attendees")
    )


def recovery_meetings_for(*, viewer: Membership) -> QuerySet[RecoveryMeetingAttendance]:
    """Outside recovery meetings the member may see (a resident: only their own), with resident, house, verifier."""
    return RecoveryMeetingAttendance.objects.visible_to(viewer).select_related("resident", "stay__house", "verified_by")
