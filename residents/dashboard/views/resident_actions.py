"""The small POST views of the resident page's house-life sections. Each calls one service; a refusal re-renders
the resident page (status 400) with the message beside the field, a success goes back to the section."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.exceptions import DomainError, NotAllowed
from accounts.forms import valid_on_clock
from accounts.money import money_words
from accounts.pages import refuse
from accounts.views import staff_required
from residents.conduct.services import incidents as incident_services
from residents.core.services import stays as stay_services
from residents.dashboard.forms import DemoteForm, IncidentForm, PlannedMoveOutForm, PromoteForm
from residents.dashboard.views.resident_sections import current_stay
from residents.dashboard.views.residents import _resident, _resident_context
from residents.meetings import services as meeting_services
from residents.meetings.selectors import recovery_meetings_for
from residents.program.selectors.phases import phases_for
from residents.program.services import phases as phase_services
from residents.testing.forms import DrugTestForm
from residents.testing.services import drug_tests as test_services


def _back(resident, section):
    return redirect(f"{reverse('resident', args=[resident.pk])}#{section}")


def _again(request, resident, **forms):
    context = _resident_context(request, resident, **forms)
    return render(request, "residents/resident/detail.html", context, status=400)


@staff_required
@require_POST
def resident_test_record(request, resident_id):
    resident = _resident(request, resident_id)
    form = DrugTestForm(request.POST, prefix="test")
    if valid_on_clock(form, request.viewer.organization.tzinfo):
        try:
            test = test_services.drug_test_record(actor=request.viewer, resident=resident, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error, fields={"resident": None})
        else:
            messages.success(
                request,
                _("%(get_result_display)s result recorded for %(resident)s.")
                % {"get_result_display": test.get_result_display(), "resident": resident},
            )
            return _back(resident, "drug-tests")
    return _again(request, resident, test_form=form)


@staff_required
@require_POST
def resident_incident_log(request, resident_id):
    """Logs an incident in the house the resident lives in now, with the resident involved."""
    resident = _resident(request, resident_id)
    form = IncidentForm(request.POST, prefix="incident")
    stay = current_stay(request, resident)
    if stay is None:
        form.add_error(
            None,
            _("%(resident)s does not live in one of your houses now; incidents are logged there.")
            % {"resident": resident},
        )
    elif valid_on_clock(form, request.viewer.organization.tzinfo):
        try:
            incident = incident_services.incident_record(
                actor=request.viewer, house=stay.house, residents=[resident], **form.cleaned_data
            )
        except DomainError as error:
            refuse(form, error, fields={"residents": None, "house": None})
        else:
            fine = money_words(incident.fine_amount or 0, request.viewer.organization.currency)
            logged = _("Incident logged at %(name)s.") % {"name": stay.house.name}
            if incident.fine_amount:
                logged += " " + _("The fine of %(fine)s is charged to the ledger.") % {"fine": fine}
            messages.success(request, logged)
            return _back(resident, "incidents")
    return _again(request, resident, incident_form=form)


@staff_required
@require_POST
def resident_meeting_verify(request, resident_id, attendance_id):
    """Staff confirm an outside meeting the resident logged (a signed sheet, a sponsor's word)."""
    resident = _resident(request, resident_id)
    attendance = get_object_or_404(
        recovery_meetings_for(viewer=request.viewer).filter(resident=resident), pk=attendance_id
    )
    attendance = meeting_services.recovery_meeting_verify(actor=request.viewer, attendance=attendance)
    messages.success(
        request,
        _("%(get_meeting_type_display)s meeting on %(attended_on)s verified.")
        % {
            "get_meeting_type_display": attendance.get_meeting_type_display(),
            "attended_on": date_format(attendance.attended_on, _("M j")),
        },
    )
    return _back(resident, "meetings")


@staff_required
@require_POST
def resident_phase_change(request, resident_id, change):
    """``start`` (the first phase), ``promote`` (the next phase up) or ``demote`` (down, with a reason)."""
    resident = _resident(request, resident_id)
    stay = current_stay(request, resident)
    if stay is None:
        messages.error(request, _("%(resident)s does not live in one of your houses now.") % {"resident": resident})
        return _again(request, resident)
    viewer = request.viewer
    if change == "start":
        form, name = None, None
    elif change == "promote":
        form, name = PromoteForm(request.POST, prefix="promote"), "promote_form"
    else:
        lower = phases_for(viewer=viewer)
        form, name = DemoteForm(request.POST, prefix="demote", phases=lower), "demote_form"
    if form is not None and not form.is_valid():
        return _again(request, resident, **{name: form})
    try:
        if change == "start":
            made = phase_services.phase_start(actor=viewer, stay=stay)
        elif change == "promote":
            made = phase_services.phase_promote(actor=viewer, stay=stay, **form.cleaned_data)
        else:
            made = phase_services.phase_demote(actor=viewer, stay=stay, **form.cleaned_data)
    except DomainError as error:
        if form is None:
            if isinstance(error, NotAllowed):
                raise PermissionDenied(error.message) from error
            messages.error(request, error.message)
            return _again(request, resident)
        refuse(form, error, fields={"stay": None})
        return _again(request, resident, **{name: form})
    changed = {
        "start": _("%(resident)s starts in %(name)s from %(effective_on)s."),
        "promote": _("%(resident)s is promoted to %(name)s from %(effective_on)s."),
        "demote": _("%(resident)s is moved down to %(name)s from %(effective_on)s."),
    }[change]
    messages.success(
        request,
        changed
        % {
            "resident": resident,
            "name": made.phase.name,
            "effective_on": date_format(made.effective_on, _("M j")),
        },
    )
    return _back(resident, "phase")


@staff_required
@require_POST
def resident_plan_move_out(request, resident_id):
    """Sets or clears the planned move-out of the resident's current stay (the Clear button sends ``clear``)."""
    resident = _resident(request, resident_id)
    stay = current_stay(request, resident)
    form = PlannedMoveOutForm(request.POST, prefix="move-out", clearing="clear" in request.POST)
    if stay is None:
        form.add_error(None, _("%(resident)s does not live in one of your houses now.") % {"resident": resident})
    elif form.is_valid():
        try:
            stay = stay_services.stay_plan_move_out(actor=request.viewer, stay=stay, on=form.cleaned_data["on"])
        except DomainError as error:
            refuse(form, error, fields={"stay": None})
        else:
            if stay.expected_move_out:
                messages.success(
                    request,
                    _("%(resident)s plans to move out on %(expected_move_out)s.")
                    % {"resident": resident, "expected_move_out": date_format(stay.expected_move_out, _("M j, Y"))},
                )
            else:
                messages.success(
                    request, _("The planned move-out of %(resident)s is cleared.") % {"resident": resident}
                )
            return _back(resident, "stays")
    return _again(request, resident, move_out_form=form)
