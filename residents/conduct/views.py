"""Operator pages for residents' grievances: read, answer and close. Operators' business only: house managers get
403 (a grievance may be about them)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.exceptions import DomainError
from accounts.pages import paginate, refuse
from accounts.views import operator_required
from residents.conduct.forms import GrievanceCloseForm, GrievanceFilterForm, GrievanceRespondForm
from residents.conduct.selectors.grievances import grievances_for
from residents.conduct.services import grievances as grievance_services
from residents.models import Grievance

OPEN_AND_RESPONDED = (Grievance.Status.OPEN, Grievance.Status.RESPONDED)


@operator_required
@require_safe
def grievance_list(request):
    form = GrievanceFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    grievances = grievances_for(viewer=request.viewer).order_by("-filed_at", "-pk")
    if status == "":
        grievances = grievances.filter(status__in=OPEN_AND_RESPONDED)
    elif status != "all":
        grievances = grievances.filter(status=status)
    context = {"section": "grievances", "form": form, "page_obj": paginate(request, grievances), "status": status}
    with timezone.override(request.viewer.organization.tzinfo):
        return render(request, "residents/operator/grievances.html", context, status=400 if form.errors else 200)


def _grievance(request, grievance_id) -> Grievance:
    return get_object_or_404(grievances_for(viewer=request.viewer), pk=grievance_id)


def _grievance_page(request, grievance, *, status=200, **forms):
    context = {
        "section": "grievances",
        "grievance": grievance,
        "respond_form": forms.get("respond_form") or GrievanceRespondForm(prefix="respond"),
        "close_form": forms.get("close_form") or GrievanceCloseForm(prefix="close"),
    }
    with timezone.override(request.viewer.organization.tzinfo):
        return render(request, "residents/operator/grievance_detail.html", context, status=status)


@operator_required
@require_safe
def grievance_detail(request, grievance_id):
    return _grievance_page(request, _grievance(request, grievance_id))


@operator_required
@require_POST
def grievance_respond(request, grievance_id):
    grievance = _grievance(request, grievance_id)
    form = GrievanceRespondForm(request.POST, prefix="respond")
    if form.is_valid():
        try:
            grievance = grievance_services.grievance_respond(
                actor=request.viewer, grievance=grievance, **form.cleaned_data
            )
        except DomainError as error:
            refuse(form, error, fields={"status": None})
        else:
            if grievance.status == Grievance.Status.CLOSED:
                sent = _("Response sent and closed. %(resident)s reads it in the portal.")
            else:
                sent = _("Response sent. %(resident)s reads it in the portal.")
            messages.success(request, sent % {"resident": grievance.resident})
            return redirect("grievance", grievance_id=grievance.pk)
    return _grievance_page(request, grievance, respond_form=form, status=400)


@operator_required
@require_POST
def grievance_close(request, grievance_id):
    grievance = _grievance(request, grievance_id)
    form = GrievanceCloseForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            grievance = grievance_services.grievance_close(
                actor=request.viewer, grievance=grievance, **form.cleaned_data
            )
        except DomainError as error:
            refuse(form, error, fields={"status": None})
        else:
            messages.success(request, _("Grievance “%(subject)s” closed.") % {"subject": grievance.subject})
            return redirect("grievances")
    return _grievance_page(request, grievance, close_form=form, status=400)
