"""Operator page: the audit log of sensitive reads and changes, filtered, read-only."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.pages import paginate
from accounts.selectors import audit_actors, audit_entries, audit_object_types
from accounts.views import operator_required
from houses.forms import AuditFilterForm


@operator_required
@require_safe
def audit_log(request):
    viewer = request.viewer
    form = AuditFilterForm(
        request.GET or None, actors=audit_actors(viewer=viewer), object_types=audit_object_types(viewer=viewer)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(viewer=viewer, **{name: value for name, value in filters.items() if value})
    context = {
        "section": "audit",
        "form": form,
        "page_obj": paginate(request, entries),
        "filtered": any(filters.values()),
    }
    return render(request, "houses/audit_log.html", context, status=400 if form.errors else 200)
