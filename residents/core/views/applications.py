"""Applications: the list, a new application, each application's page with its history, response times and next
steps, recording a contact, erasing one at the applicant's request."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.exceptions import DomainError
from accounts.pages import paginate, refuse
from accounts.views import staff_required
from houses.models import Bed
from houses.selectors import houses_for
from residents.core.forms.applications import (
    ApplicationFilterForm,
    ApplicationForm,
    ContactForm,
    DeclineForm,
    EraseForm,
    MoveForm,
)
from residents.core.forms.stays import AcceptAndAdmitForm
from residents.core.selectors.applications import application_history, applications_list, reply_facts, reply_wait
from residents.core.selectors.bed_board import free_beds, houses_fitting
from residents.core.services import applications as application_services
from residents.models import Application


@staff_required
def application_list(request):
    houses = houses_for(viewer=request.viewer)
    form = ApplicationFilterForm(request.GET or None, houses=houses)
    filters = form.cleaned_data if form.is_valid() else {}
    applications = applications_list(
        viewer=request.viewer, status=filters.get("status", ""), house=filters.get("house") or None
    )
    page_obj = paginate(request, applications)
    now = timezone.now()
    for application in page_obj.object_list:
        application.reply_wait = reply_wait(application, now=now)
    context = {"section": "applications", "form": form, "page_obj": page_obj, "filtered": any(filters.values())}
    return render(request, "residents/application_list.html", context, status=400 if form.errors else 200)


@staff_required
def application_new(request):
    form = ApplicationForm(
        request.POST or None, houses=houses_for(viewer=request.viewer), today=request.viewer.organization.today()
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = application_services.application_create(actor=request.viewer, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(
                request,
                _("Application from %(first_name)s %(last_name)s recorded.")
                % {"first_name": application.first_name, "last_name": application.last_name},
            )
            return redirect("application", application_id=application.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "residents/application_form.html", {"section": "applications", "form": form}, status=status)


def _application(request, application_id) -> Application:
    # The partner behind a referral is read through the reverse one-to-one (residents does not import vacancies).
    # An erased application is kept only for the month's figures: its page is gone.
    applications = (
        Application.objects.visible_to(request.viewer)
        .filter(erased_at__isnull=True)
        .select_related("preferred_house", "resident", "referral__partner")
    )
    return get_object_or_404(applications, pk=application_id)


def _application_context(request, application, *, move_form=None, decline_form=None, contact_form=None):
    allowed = Application.TRANSITIONS[application.status]
    next_statuses = [
        choice
        for choice in Application.Status.choices
        if choice[0] in allowed and choice[0] != Application.Status.DECLINED
    ]
    referral = getattr(application, "referral", None)
    return {
        "section": "applications",
        "application": application,
        "events": application_history(viewer=request.viewer, application=application),
        "next_statuses": next_statuses,
        "can_decline": Application.Status.DECLINED in allowed,
        "move_form": move_form or MoveForm(),
        "decline_form": decline_form or DeclineForm(),
        "contact_form": contact_form or ContactForm(),
        "partner": referral.partner if referral is not None else None,
        "reply_wait": reply_wait(application, now=timezone.now()),
        **reply_facts(application),
    }


def _render_detail(request, application, *, status=200, **forms):
    context = _application_context(request, application, **forms)
    with timezone.override(request.viewer.organization.tzinfo):
        return render(request, "residents/application_detail.html", context, status=status)


@staff_required
def application_detail(request, application_id):
    application = _application(request, application_id)
    return _render_detail(request, application)


@staff_required
@require_POST
def application_move(request, application_id):
    """A step forward (the move form's buttons) or declining (the decline form, whose reason is required)."""
    application = _application(request, application_id)
    declining = request.POST.get("status") == Application.Status.DECLINED
    form = DeclineForm(request.POST) if declining else MoveForm(request.POST)
    if form.is_valid():
        to = Application.Status.DECLINED if declining else form.cleaned_data["status"]
        note = form.cleaned_data["reason"] if declining else form.cleaned_data["note"]
        try:
            moved = application_services.application_move(
                actor=request.viewer, application=application, to=to, note=note
            )
        except DomainError as error:
            refuse(form, error, fields={"note": "reason"} if declining else None)
        else:
            messages.success(
                request, _("Application is now %(lower)s.") % {"lower": moved.get_status_display().lower()}
            )
            return redirect("application", application_id=application.pk)
    forms = {"decline_form": form} if declining else {"move_form": form}
    return _render_detail(request, application, status=400, **forms)


@staff_required
@require_POST
def application_record_contact(request, application_id):
    """Records that staff reached the applicant; the first contact is the application's first reply."""
    application = _application(request, application_id)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            application_services.application_record_contact(
                actor=request.viewer, application=application, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Contact recorded."))
            return redirect("application", application_id=application.pk)
    return _render_detail(request, application, status=400, contact_form=form)


@staff_required
def application_erase(request, application_id):
    """ "Erase at the applicant's request": a confirmation, then the application's personal data and the notes of
    its history are blanked and it leaves every list (an admitted applicant is a resident whose record is kept)."""
    application = _application(request, application_id)
    if application.status == Application.Status.ADMITTED and request.method != "POST":
        messages.info(request, _("An admitted applicant's record is kept: it cannot be erased here."))
        return redirect("application", application_id=application.pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application_services.application_erase(actor=request.viewer, application=application)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("The applicant's personal data and the notes of the application were erased."))
            return redirect("applications")
    context = {"section": "applications", "application": application, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "residents/application_erase.html", context, status=status)


def _admissible(application: Application) -> bool:
    """Accepted already, or at a step from which it may be accepted (new, screening, waitlisted)."""
    status = application.status
    return status == Application.Status.ACCEPTED or Application.Status.ACCEPTED in Application.TRANSITIONS[status]


@staff_required
def application_accept_and_admit(request, application_id):
    """ "Accept and admit to bed…": pick a free bed and a move-in date; posting accepts the application (if it is not
    yet) and admits the applicant, in one step, then shows the bed board of their house."""
    application = _application(request, application_id)
    if not _admissible(application):
        messages.info(
            request,
            _("This application is %(lower)s: only a waiting application can be accepted and admitted.")
            % {"lower": application.get_status_display().lower()},
        )
        return redirect("application", application_id=application.pk)
    night = request.viewer.organization.today()
    fitting = houses_fitting(viewer=request.viewer, application=application)
    beds = free_beds(viewer=request.viewer, night=night, houses=fitting)
    form = AcceptAndAdmitForm(
        request.POST or None, today=night, free_beds=beds, beds=Bed.objects.visible_to(request.viewer)
    )
    if request.method == "POST" and form.is_valid():
        bed = form.cleaned_data["bed"]
        try:
            stay = application_services.application_accept_and_admit(
                actor=request.viewer, application=application, bed=bed, on=form.cleaned_data["on"]
            )
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(
                request,
                _("%(resident)s admitted to %(name)s, %(name2)s · %(label)s from %(move_in)s.")
                % {
                    "resident": stay.resident,
                    "name": bed.house.name,
                    "name2": bed.room.name,
                    "label": bed.label,
                    "move_in": date_format(stay.move_in, _("M j, Y")),
                },
            )
            return redirect("bed-board", house_id=bed.house_id)
    context = {"section": "applications", "application": application, "form": form, "has_free_beds": bool(beds)}
    status = 400 if request.method == "POST" else 200
    return render(request, "residents/application_admit.html", context, status=status)
