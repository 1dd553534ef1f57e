"""Operator pages: the program's phases and their requirements (operators only; house managers get 403)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.exceptions import DomainError
from accounts.pages import refuse
from accounts.views import operator_required
from residents.program.forms.phases import PhaseForm
from residents.program.selectors.phases import phases_for
from residents.program.services import phases as phase_services


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
            phase = phase_services.phase_create(actor=request.viewer, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(
                request, _("Phase %(order)s, %(name)s, added.") % {"order": phase.order, "name": phase.name}
            )
            return redirect("phases")
    return _phases_page(request, form=form, status=400)


@operator_required
def phase_edit(request, phase_id):
    phase = get_object_or_404(phases_for(viewer=request.viewer), pk=phase_id)
    form = PhaseForm.for_phase(phase, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phase = phase_services.phase_update(actor=request.viewer, phase=phase, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(
                request, _("Phase %(order)s, %(name)s, saved.") % {"order": phase.order, "name": phase.name}
            )
            return redirect("phases")
    status = 400 if request.method == "POST" else 200
    context = {"section": "phases", "phase": phase, "form": form}
    return render(request, "residents/operator/phase_form.html", context, status=status)
