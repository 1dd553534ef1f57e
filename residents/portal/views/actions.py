"""Portal pages where residents record something for themselves: outside meetings, signing out and in, overnight
passes and grievances. Each form calls its service; a refusal is shown beside the field it names (status 400) and
what was typed stays in the form."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.exceptions import DomainError
from accounts.pages import paginate, show_domain_error
from residents.conduct.services import grievances as grievance_services
from residents.core.selectors.stays import current_stay_for_member
from residents.meetings import services as meeting_services
from residents.meetings.selectors import recovery_meetings_for
from residents.models import Stay
from residents.portal import selectors
from residents.portal.forms import GrievanceForm, PassForm, RecoveryMeetingForm, SignOutForm
from residents.portal.views.sections import portal_page
from residents.program.forms.curfew import past_curfew
from residents.program.selectors.curfew import curfews_tonight
from residents.program.services import signouts as signout_services

NOT_LIVING_HERE = gettext_lazy("You are not living in one of the houses now, so there is nothing to record here.")


# Meetings -------------------------------------------------------------------------------------------------------------


@portal_page
def portal_meetings(request, resident):
    today = request.viewer.organization.today()
    form = RecoveryMeetingForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            attendance = meeting_services.recovery_meeting_record(actor=request.viewer, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(kind)s meeting on %(date)s logged. House staff will verify it.")
                % {
                    "kind": attendance.get_meeting_type_display(),
                    "date": date_format(attendance.attended_on, _("M j")),
                },
            )
            return redirect("portal-meetings")
    house_meetings = selectors.house_meetings_attended(viewer=request.viewer)
    stay = current_stay_for_member(viewer=request.viewer)
    context = {
        "section": "meetings",
        "form": form,
        "standing": selectors.week_standing(viewer=request.viewer, stay=stay, today=today),
        "page_obj": paginate(request, recovery_meetings_for(viewer=request.viewer).order_by("-attended_on", "-pk")),
        "house_meetings": list(house_meetings[: selectors.RECENT_HOUSE_MEETINGS]),
        "house_meeting_count": house_meetings.count(),
    }
    return render(request, "residents/portal/meetings.html", context, status=400 if form.errors else 200)


# Signing out and in ---------------------------------------------------------------------------------------------------


def _curfew(request, stay):
    if stay is None:
        return None
    stays = Stay.objects.filter(pk=stay.pk)
    return curfews_tonight(organization=request.viewer.organization, stays=stays).get(stay.pk)


def _sign_out_page(request, *, form=None, error=None, status=200, curfew_warning=False):
    stay = current_stay_for_member(viewer=request.viewer)
    curfew = _curfew(request, stay)
    context = {
        "section": "sign-out",
        "stay": stay,
        "sign_out": selectors.open_sign_out(viewer=request.viewer, stay=stay),
        "curfew": curfew,
        "curfew_warning": curfew_warning,
        "form": form or SignOutForm(curfew=curfew),
        "error": error,
        "page_obj": paginate(request, selectors.my_sign_outs(viewer=request.viewer)),
    }
    return render(request, "residents/portal/sign_out.html", context, status=status)


@portal_page
def portal_sign_out(request, resident):
    if request.method != "POST":
        return _sign_out_page(request)
    stay = current_stay_for_member(viewer=request.viewer)
    curfew = _curfew(request, stay)
    form = SignOutForm(request.POST, curfew=curfew)
    if stay is None:
        form.add_error(None, NOT_LIVING_HERE)
    elif form.is_valid() and past_curfew(curfew, form.cleaned_data["expected_return_at"], request.POST):
        # Not refused: the house may allow it (a late shift). Asked once, so it is a choice, not a slip.
        return _sign_out_page(request, form=form, curfew_warning=True)
    elif form.is_valid():
        try:
            sign_out = signout_services.signout_create(actor=request.viewer, stay=stay, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            back = timezone.localtime(sign_out.expected_return_at)
            messages.success(
                request,
                _("Signed out to %(destination)s. Expected back %(back)s. Stay safe.")
                % {"destination": sign_out.destination, "back": date_format(back, _("D g:i A"))},
            )
            return redirect("portal-sign-out")
    return _sign_out_page(request, form=form, status=400)


@portal_page
@require_POST
def portal_sign_in(request, resident):
    stay = current_stay_for_member(viewer=request.viewer)
    if stay is None:
        return _sign_out_page(request, error=NOT_LIVING_HERE, status=400)
    try:
        sign_out = signout_services.signout_sign_in(actor=request.viewer, stay=stay)
    except DomainError as error:
        return _sign_out_page(request, error=error.message, status=400)
    at = time_format(timezone.localtime(sign_out.signed_in_at), _("g:i A"))
    messages.success(request, _("Welcome back. Signed in at %(time)s.") % {"time": at})
    return redirect("portal-sign-out")


# Overnight passes -----------------------------------------------------------------------------------------------------


def _passes_page(request, resident, *, stay, form=None, error=None, status=200):
    today = request.viewer.organization.today()
    if form is None:
        allowance = selectors.pass_allowance(viewer=request.viewer, stay=stay, today=today)
        form = PassForm(today=today, allowance=allowance, initial={"contact_phone": resident.phone})
    context = {
        "section": "passes",
        "stay": stay,
        "form": form,
        "error": error,
        "page_obj": paginate(request, selectors.my_passes(viewer=request.viewer, today=today)),
    }
    return render(request, "residents/portal/passes.html", context, status=status)


@portal_page
def portal_passes(request, resident):
    stay = current_stay_for_member(viewer=request.viewer)
    if request.method != "POST":
        return _passes_page(request, resident, stay=stay)
    today = request.viewer.organization.today()
    allowance = selectors.pass_allowance(viewer=request.viewer, stay=stay, today=today)
    form = PassForm(request.POST, today=today, allowance=allowance)
    if stay is None:
        form.add_error(None, NOT_LIVING_HERE)
    elif form.is_valid():
        try:
            pass_ = signout_services.pass_request(actor=request.viewer, stay=stay, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            text = ngettext(
                "Pass asked for: %(nights)s night from %(date)s. The house manager will decide; the answer shows here.",
                "Pass asked for: %(nights)s nights from %(date)s. "
                "The house manager will decide; the answer shows here.",
                pass_.nights,
            )
            messages.success(request, text % {"nights": pass_.nights, "date": date_format(pass_.leave_on, _("D M j"))})
            return redirect("portal-passes")
    return _passes_page(request, resident, stay=stay, form=form, status=400)


@portal_page
@require_POST
def portal_pass_cancel(request, resident, pass_id):
    pass_ = get_object_or_404(selectors.my_passes(viewer=request.viewer, today=request.viewer.organization.today()),
                              pk=pass_id)  # fmt: skip
    try:
        signout_services.pass_cancel(actor=request.viewer, pass_=pass_)
    except DomainError as error:
        stay = current_stay_for_member(viewer=request.viewer)
        return _passes_page(request, resident, stay=stay, error=error.message, status=400)
    on = date_format(pass_.leave_on, _("D M j"))
    messages.success(request, _("Your pass from %(date)s is cancelled.") % {"date": on})
    return redirect("portal-passes")


# Grievances -----------------------------------------------------------------------------------------------------------


@portal_page
def portal_grievances(request, resident):
    context = {"section": "grievances", "page_obj": paginate(request, selectors.my_grievances(viewer=request.viewer))}
    return render(request, "residents/portal/grievances.html", context)


@portal_page
def portal_grievance_new(request, resident):
    form = GrievanceForm(request.POST or None, staff=selectors.staff_to_name(viewer=request.viewer))
    if request.method == "POST" and form.is_valid():
        try:
            grievance = grievance_services.grievance_file(actor=request.viewer, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request, _("Your grievance is filed. The operator will answer it; the answer will show on this page.")
            )
            return redirect("portal-grievance", grievance_id=grievance.pk)
    context = {"section": "grievances", "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "residents/portal/grievance_form.html", context, status=status)


@portal_page
def portal_grievance(request, resident, grievance_id):
    grievance = get_object_or_404(selectors.my_grievances(viewer=request.viewer), pk=grievance_id)
    return render(request, "residents/portal/grievance_detail.html", {"section": "grievances", "grievance": grievance})
