from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Membership

from .models import ImportRun


def imports_for(*, viewer: Membership) -> QuerySet[ImportRun]:
    """The organization's imports, newest first, for its operators (nobody else sees any)."""
    return ImportRun.objects.visible_to(viewer).select_related("uploaded_by__user").order_by("-created_at", "-pk")


def import_in_scope(*, viewer: Membership, run_id: int) -> ImportRun:
    """One import of the viewer's organization; 404 for anyone else's."""
    return get_object_or_404(imports_for(viewer=viewer), pk=run_id)
