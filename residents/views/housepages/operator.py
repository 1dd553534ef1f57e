"""Operator pages: the program's phases and their requirements, and residents' grievances (answer and close).

Both are operators' business: house managers get 403 (a grievance may be about them)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.exceptions import DomainError
from accounts.pages import paginate
from accounts.views import operator_required
from residents.forms.housepages.operator import (
    GrievanceCloseForm,
    GrievanceFilterForm,
    GrievanceRespondForm,
    PhaseForm,
)
from residents.models import Grievance
from residents.selectors.grievances import grievances_for
from residents.selectors.phases import phases_for
from residents.services import grievances as grievance_services
from residents.services import housepages as phase_definitions

from .common import refuse


def _phases_page(request, *, form=None, status=200):
    phases = list(phases_for(viewer=request.viewer))
    form = form or PhaseForm(initial={"order": phases[-1].order + 1 if phases else 1})
    context = {"section": "phases", "phases": phases, "form": form}
    return render(request, "residents/operator/phases.html", context, status=status)


@operator_required
@require_safe
def phase_list(request):
    return _phases_page(request)


@operator_required
@require_POST
def phase_add(request):
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            phase = phase_definitions.phase_create(actor=request.viewer, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, f"Phase {phase.order}, {phase.name}, added.")
            return redirect("phases")
    return _phases_page(request, form=form, status=400)


@operator_required
def phase_edit(request, phase_id):
    phase = get_object_or_404(phases_for(viewer=request.viewer), pk=phase_id)
    form = PhaseForm.for_phase(phase, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phase = phase_definitions.phase_update(actor=request.viewer, phase=phase, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, f"Phase {phase.order}, {phase.name}, saved.")
            return redirect("phases")
    status = 400 if request.method == "POST" else 200
    context = {"section": "phases", "phase": phase, "form": form}
    return render(request, "residents/operator/phase_form.html", context, status=status)


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
            closed = " and closed" if grievance.status == Grievance.Status.CLOSED else ""
            messages.success(request, f"Response sent{closed}. {grievance.resident} reads it in the portal.")
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
            messages.success(request, f"Grievance “{grievance.subject}” closed.")
            return redirect("grievances")
    return _grievance_page(request, grievance, close_form=form, status=400)
