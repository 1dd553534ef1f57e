"""Today's sign-out board of a house (who is out now, today's log, a night's curfew violations, signing someone out
and back in) and its overnight passes (approve or deny a request, record the return from one). Writes go through
``residents.program.services.signouts``."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.exceptions import Conflict, DomainError, NotAllowed
from accounts.forms import valid_on_clock
from accounts.pages import refuse
from accounts.views import staff_required
from houses.selectors import house_in_scope
from residents.core.views.house_pages import render_house
from residents.models import SignOut, Stay, TestReason, TestRequest
from residents.program.forms.curfew import past_curfew
from residents.program.forms.signouts import NightForm, PassDecisionForm, PassReturnForm, StaffSignOutForm
from residents.program.selectors.board import (
    decided_passes,
    passes_out_now,
    sign_outs_on,
    signed_out_now,
    stays_in,
    stays_sleeping_in,
    waiting_passes,
)
from residents.program.selectors.curfew import curfew_of, current_night, return_by, with_curfew
from residents.program.selectors.signouts import curfew_violations, passes_for
from residents.program.services import signouts as signout_services

RECENT_DECISIONS = 10


def _open_stays(request, house):
    return stays_sleeping_in(viewer=request.viewer, house=house)


def _sign_out_form(request, house, data=None):
    now = timezone.now()
    organization = house.organization
    night = current_night(organization, now)
    choices = list(with_curfew(stays_in(viewer=request.viewer, house=house), night=night))
    curfews = {stay.pk: curfew_of(stay, night=night, organization=organization) for stay in choices}
    # No later than the earliest curfew still ahead among those offered; each resident's is beside their name.
    ahead = [curfew for curfew in curfews.values() if curfew is not None and curfew.deadline > now]
    soonest = min(ahead, key=lambda curfew: curfew.deadline, default=None)
    back = return_by(soonest, (now + timedelta(hours=2)).replace(second=0, microsecond=0), now=now)
    return StaffSignOutForm(
        data, stays=_open_stays(request, house), choices=choices, curfews=curfews, initial={"expected_return_at": back}
    )


def _render_board(request, house, *, status=200, sign_in_error="", sign_out_form=None, curfew_warning=None):
    today = house.organization.today()
    night_form = NightForm(request.GET or None, initial={"night": today - timedelta(days=1)})
    night = (night_form.cleaned_data.get("night") if night_form.is_valid() else None) or today - timedelta(days=1)
    context = {
        "now": timezone.now(),
        "out_now": signed_out_now(viewer=request.viewer, house=house),
        "log": sign_outs_on(viewer=request.viewer, house=house, day=today),
        "night_form": night_form,
        "night": night,
        "violations": [] if night > today else curfew_violations(viewer=request.viewer, house=house, night=night),
        "future_night": night > today,
        "sign_in_error": sign_in_error,
        "sign_out_form": sign_out_form or _sign_out_form(request, house),
        "curfew_warning": curfew_warning,
    }
    status = 400 if night_form.errors else status
    return render_house(request, "residents/house/sign_outs.html", house, "sign-outs", context, status=status)


@staff_required
@require_safe
def house_sign_outs(request, house_id):
    return _render_board(request, house_in_scope(request, house_id))


@staff_required
@require_POST
def house_sign_in(request, house_id, stay_id):
    """Signs a resident of the house back in, now."""
    house = house_in_scope(request, house_id)
    # Signed out from this house: the board shows them here even when a transfer dated ahead already names another.
    out_from_here = SignOut.objects.filter(house=house, signed_in_at__isnull=True).values("stay_id")
    stays = Stay.objects.visible_to(request.viewer).filter(Q(house=house) | Q(pk__in=out_from_here))
    stay = get_object_or_404(stays.select_related("resident"), pk=stay_id)
    try:
        sign_out = signout_services.signout_sign_in(actor=request.viewer, stay=stay)
    except DomainError as error:
        if isinstance(error, NotAllowed):
            raise PermissionDenied(error.message) from error
        return _render_board(request, house, status=400, sign_in_error=error.message)
    with timezone.override(house.organization.tzinfo):
        back = timezone.localtime(sign_out.signed_in_at)
    messages.success(
        request,
        _("%(resident)s signed back in at %(back)s.")
        % {"resident": stay.resident, "back": date_format(back, _("g:i A"))},
    )
    return redirect("house-sign-outs", house_id=house.pk)


@staff_required
@require_POST
def house_sign_out(request, house_id):
    """Signs a resident of the house out, now or (copying the paper log) at a time already past."""
    house = house_in_scope(request, house_id)
    form = _sign_out_form(request, house, request.POST)
    status = 400
    valid = valid_on_clock(form, house.organization.tzinfo)
    # Copying the paper log (a time already past) records what happened; only signing out now is warned.
    now_leaving = valid and not form.cleaned_data["signed_out_at"]
    curfew = form.curfews.get(form.cleaned_data["stay"].pk) if now_leaving else None  # None: no curfew tonight
    if valid and past_curfew(curfew, form.cleaned_data["expected_return_at"], request.POST):
        # Not refused (a late shift may be allowed), but asked once so it is a choice, not a slip.
        warning = {"resident": form.cleaned_data["stay"].resident, "curfew": curfew}
        return _render_board(request, house, sign_out_form=form, curfew_warning=warning)
    if valid:
        data = form.cleaned_data
        try:
            sign_out = signout_services.signout_create(
                actor=request.viewer, stay=data["stay"], destination=data["destination"],
                expected_return_at=data["expected_return_at"], signed_out_at=data["signed_out_at"],
            )  # fmt: skip
        except DomainError as error:
            if isinstance(error, Conflict):  # already out: the resident is the field at fault
                form.add_error("stay", error.message)
                status = error.status_code
            else:
                refuse(form, error)
        else:
            with timezone.override(house.organization.tzinfo):
                back = timezone.localtime(sign_out.expected_return_at)
            who, where = data["stay"].resident, sign_out.destination
            messages.success(
                request,
                _("%(who)s signed out to %(where)s, expected back %(back)s.")
                % {"who": who, "where": where, "back": date_format(back, _("D g:i A"))},
            )
            return redirect("house-sign-outs", house_id=house.pk)
    return _render_board(request, house, sign_out_form=form, status=status)


def _render_passes(request, house, *, decision_form=None, return_form=None, status=200):
    away = [
        (pass_, return_form if return_form and return_form.pass_.pk == pass_.pk else PassReturnForm(pass_=pass_))
        for pass_ in passes_out_now(viewer=request.viewer, house=house)
    ]
    waiting = [
        (
            pass_,
            decision_form if decision_form and decision_form.pass_.pk == pass_.pk else PassDecisionForm(pass_=pass_),
        )
        for pass_ in waiting_passes(viewer=request.viewer, house=house)
    ]
    context = {
        "away": away,
        "waiting": waiting,
        "decided": decided_passes(viewer=request.viewer, house=house)[:RECENT_DECISIONS],
    }
    return render_house(request, "residents/house/passes.html", house, "passes", context, status=status)


@staff_required
@require_safe
def house_passes(request, house_id):
    return _render_passes(request, house_in_scope(request, house_id))


@staff_required
@require_POST
def house_pass_decide(request, house_id, pass_id):
    """Approves (with an override and a reason beyond the phase's allowance) or denies (with a reason) a pass."""
    house = house_in_scope(request, house_id)
    pass_ = get_object_or_404(passes_for(viewer=request.viewer).filter(house=house), pk=pass_id)
    form = PassDecisionForm(request.POST, pass_=pass_)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                signout_services.pass_approve(
                    actor=request.viewer, pass_=pass_, reason=data["reason"], override=data["override"]
                )
            else:
                signout_services.pass_deny(actor=request.viewer, pass_=pass_, reason=data["reason"])
        except DomainError as error:
            if isinstance(error, Conflict):
                # Decided meanwhile (by someone else, or a second click): nothing to decide any more.
                messages.error(request, error.message)
                return _render_passes(request, house, status=error.status_code)
            refuse(form, error)
        else:
            if data["decision"] == "approve":
                decided = _("Pass of %(resident)s (%(leave_on)s to %(return_on)s) approved.")
            else:
                decided = _("Pass of %(resident)s (%(leave_on)s to %(return_on)s) denied.")
            messages.success(
                request,
                decided
                % {
                    "resident": pass_.resident,
                    "leave_on": date_format(pass_.leave_on, _("M j")),
                    "return_on": date_format(pass_.return_on, _("M j")),
                },
            )
            return redirect("house-passes", house_id=house.pk)
    return _render_passes(request, house, decision_form=form, status=400)


@staff_required
@require_POST
def house_pass_return(request, house_id, pass_id):
    """Records that a resident is back from an approved pass, now or at a time already past. The house's drug-test
    policy may ask for a test after a pass (``residents.testing.receivers``); the message says when it did."""
    house = house_in_scope(request, house_id)
    pass_ = get_object_or_404(passes_for(viewer=request.viewer).filter(house=house), pk=pass_id)
    form = PassReturnForm(request.POST, pass_=pass_)
    if valid_on_clock(form, house.organization.tzinfo):
        last_request = TestRequest.objects.filter(stay_id=pass_.stay_id).aggregate(last=Max("pk"))["last"] or 0
        try:
            pass_ = signout_services.pass_return(actor=request.viewer, pass_=pass_, **form.cleaned_data)
        except DomainError as error:
            if isinstance(error, NotAllowed):
                raise PermissionDenied(error.message) from error
            shown = passes_out_now(viewer=request.viewer, house=house).filter(pk=pass_.pk).exists()
            if isinstance(error, Conflict) or not shown or error.field not in form.fields:
                # Returned meanwhile, or a pass that is not out (not approved, not begun): no form to put it beside.
                messages.error(request, error.message)
                return _render_passes(request, house, status=error.status_code)
            refuse(form, error)
        else:
            asked = TestRequest.objects.filter(
                stay_id=pass_.stay_id, reason=TestReason.RETURN_FROM_PASS, pk__gt=last_request
            ).first()
            back = _("%(resident)s is back from the pass to %(destination)s.") % {
                "resident": pass_.resident,
                "destination": pass_.destination,
            }
            if asked:
                back += " " + _("A drug test after the pass is asked for, due %(due_on)s.") % {
                    "due_on": date_format(asked.due_on, _("D M j"))
                }
            messages.success(request, back)
            return redirect("house-passes", house_id=house.pk)
    return _render_passes(request, house, return_form=form, status=400)
