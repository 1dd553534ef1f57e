from django.db.models import QuerySet

from accounts.models import Membership

from .models import DataExport


def exports_for(*, viewer: Membership) -> QuerySet[DataExport]:
    """The exports ``viewer`` may see and download: an operator the organization's, a resident their own record's;
    newest first, with who asked for them."""
    return DataExport.objects.visible_to(viewer).select_related("requested_by__user", "organization")
