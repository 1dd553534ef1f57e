"""Operator pages for staff: everyone's membership, inviting a manager (and withdrawing or re-sending the
invitation), assigning houses, deactivating."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.exceptions import DomainError
from accounts.invitations import invitation_resend, invitation_withdraw
from accounts.models import Membership, Role
from accounts.pages import paginate, refuse
from accounts.queue import DEFERRED_MESSAGE, is_deferred
from accounts.selectors import member_name, memberships_for, memberships_list
from accounts.tasks import send_invitation
from accounts.views import operator_required
from houses.forms import InviteForm, StaffFilterForm, StaffHousesForm
from houses.selectors import houses_for
from houses.services import staff_invite, staff_update


def _list_context(request, invite_form=None):
    form = StaffFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    status = {"yes": "active", "no": "inactive", "invited": "invited"}.get(filters.get("active", ""), "")
    memberships = memberships_list(viewer=request.viewer, role=filters.get("role", ""), status=status)
    return {
        "section": "staff",
        "form": form,
        "page_obj": paginate(request, memberships),
        "invite_form": invite_form or InviteForm(houses=houses_for(viewer=request.viewer)),
    }


@operator_required
def staff_list(request):
    context = _list_context(request)
    return render(request, "houses/staff_list.html", context, status=400 if context["form"].errors else 200)


@operator_required
@require_POST
def staff_invite_page(request):
    form = InviteForm(request.POST, houses=houses_for(viewer=request.viewer))
    if form.is_valid():
        base_url = request.build_absolute_uri("/")
        try:
            membership = staff_invite(actor=request.viewer, base_url=base_url, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            if is_deferred(send_invitation, membership.pk, base_url):  # the broker (Redis) is unreachable
                email = membership.user.email
                messages.warning(
                    request,
                    _("%(email)s is invited; the e-mail is not sent yet. %(deferred)s")
                    % {"email": email, "deferred": DEFERRED_MESSAGE},
                )
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s. They join once they accept it from the e-mail.")
                    % {"email": membership.user.email},
                )
            return redirect("staff")
    return render(request, "houses/staff_list.html", _list_context(request, invite_form=form), status=400)


def _membership(request, membership_id) -> Membership:
    return get_object_or_404(memberships_for(viewer=request.viewer), pk=membership_id)


@operator_required
def staff_detail(request, membership_id):
    membership = _membership(request, membership_id)
    houses = houses_for(viewer=request.viewer)
    form = StaffHousesForm(request.POST or None, houses=houses, initial={"houses": list(membership.houses.all())})
    if request.method == "POST" and form.is_valid():
        try:
            staff_update(actor=request.viewer, membership=membership, houses=form.cleaned_data["houses"])
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Houses of %(membership)s saved.") % {"membership": member_name(membership)})
            return redirect("staff-member", membership_id=membership.pk)
    context = {"section": "staff", "member": membership, "form": form, "runs_houses": membership.role == Role.MANAGER}
    return render(request, "houses/staff_detail.html", context, status=400 if request.method == "POST" else 200)


def _detail_context(request, membership):
    return {
        "section": "staff",
        "member": membership,
        "form": StaffHousesForm(
            houses=houses_for(viewer=request.viewer), initial={"houses": list(membership.houses.all())}
        ),
        "runs_houses": membership.role == Role.MANAGER,
    }


@operator_required
@require_POST
def staff_set_active(request, membership_id):
    membership = _membership(request, membership_id)
    active = request.POST.get("active") == "yes"
    try:
        staff_update(actor=request.viewer, membership=membership, is_active=active)
    except DomainError as error:
        messages.error(request, error.message)
        return render(request, "houses/staff_detail.html", _detail_context(request, membership), status=400)
    name = member_name(membership)
    messages.success(
        request,
        _("%(name)s can sign in again.") % {"name": name}
        if active
        else _("%(name)s is deactivated and can no longer sign in here.") % {"name": name},
    )
    return redirect("staff-member", membership_id=membership.pk)


@operator_required
@require_POST
def staff_invitation_withdraw(request, membership_id):
    membership = _membership(request, membership_id)
    try:
        invitation_withdraw(actor=request.viewer, membership=membership)
    except DomainError as error:
        messages.error(request, error.message)
        return render(request, "houses/staff_detail.html", _detail_context(request, membership), status=400)
    messages.success(
        request, _("Invitation to %(email)s withdrawn: its link no longer works.") % {"email": membership.user.email}
    )
    return redirect("staff")


@operator_required
@require_POST
def staff_invitation_resend(request, membership_id):
    membership = _membership(request, membership_id)
    try:
        invitation_resend(actor=request.viewer, membership=membership, base_url=request.build_absolute_uri("/"))
    except DomainError as error:
        messages.error(request, error.message)
        return render(request, "houses/staff_detail.html", _detail_context(request, membership), status=400)
    messages.success(request, _("Invitation sent again to %(email)s.") % {"email": membership.user.email})
    return redirect("staff-member", membership_id=membership.pk)
