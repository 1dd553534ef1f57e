from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.exceptions import DomainError
from accounts.pages import refuse
from accounts.queue import DEFERRED_MESSAGE, is_deferred
from accounts.views import operator_required, resident_required

from . import services
from .models import DataExport
from .selectors import exports_for


class ExportRequestForm(forms.Form):
    """No fields: the button asks for a new export (one already being written is shown instead)."""


def _page(request, *, template, form, section, status=200):
    exports = exports_for(viewer=request.viewer)
    page = Paginator(exports, 25).get_page(request.GET.get("page"))
    pending = any(export.status in services.PENDING for export in page.object_list)
    context = {"form": form, "page": page, "pending": pending, "section": section}
    return render(request, template, context, status=status)


def _asked(request, export: DataExport, created: bool, what: str) -> None:
    if created and is_deferred(services.generate_export, export.pk):
        # The broker (Redis) is unreachable: the export waits, kept, for the worker (accounts.queue).
        messages.warning(
            request, _("%(what)s is asked for. %(deferred)s") % {"what": what, "deferred": DEFERRED_MESSAGE}
        )
    elif created:
        messages.success(
            request, _("%(what)s is being written. This page refreshes itself until it is ready.") % {"what": what}
        )
    else:
        messages.info(request, _("%(what)s is already being written: it is shown below.") % {"what": what})


@operator_required
def exports_page(request):
    """Operators export all of the organization's data as a zip of CSV files, written in the background."""
    form = ExportRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            export, created = services.export_request(actor=request.viewer, organization=request.viewer.organization)
        except DomainError as error:
            refuse(form, error)
        else:
            _asked(request, export, created, _("The export"))
            return redirect("exports:exports")
    status = 400 if request.method == "POST" else 200
    return _page(request, template="exports/exports_page.html", form=form, section="export", status=status)


@operator_required
@require_GET
def export_download(request, export_id):
    export = get_object_or_404(exports_for(viewer=request.viewer), pk=export_id)
    return services.export_download(actor=request.viewer, export=export)


@resident_required
def my_record_page(request):
    """A resident downloads all of their own record (their right of access), written in the background."""
    form = ExportRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            export, created = services.resident_export_request(actor=request.viewer)
        except DomainError as error:
            refuse(form, error)
        else:
            _asked(request, export, created, _("Your record"))
            return redirect("exports:my-record")
    status = 400 if request.method == "POST" else 200
    return _page(request, template="exports/my_record_page.html", form=form, section="my-record", status=status)


@resident_required
@require_GET
def my_record_download(request, export_id):
    export = get_object_or_404(exports_for(viewer=request.viewer), pk=export_id)
    return services.export_download(actor=request.viewer, export=export)
