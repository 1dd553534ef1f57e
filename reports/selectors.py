"""Reads of generated reports and closed months, shared by the API and the reports page."""

from django.db.models import QuerySet

from accounts.models import Membership

from .models import MonthClose, Report


def reports_for(*, viewer: Membership) -> QuerySet[Report]:
    """The reports the viewer may see (a manager: their houses' own), with house, organization and requester."""
    return Report.objects.visible_to(viewer).select_related("house", "organization", "requested_by")


def month_closes_for(*, viewer: Membership) -> QuerySet[MonthClose]:
    """The viewer's organization's month closes, with who closed and reopened them and the stored report."""
    return MonthClose.objects.visible_to(viewer).select_related("closed_by", "reopened_by", "report")
