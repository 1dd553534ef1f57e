"""The residents list and each resident's page (profile, stays and beds, portal login).

The resident page is one template of section includes; a later topic (ledger, tests, chores) adds its section by
adding an include and, if it needs data, a key in ``_resident_context``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.exceptions import DomainError, NotAllowed
from accounts.pages import paginate, refuse
from accounts.views import staff_required
from houses.models import House
from residents.core.forms.residents import PortalLoginForm, ResidentFilterForm, ResidentProfileForm
from residents.core.selectors.resident_summary import resident_summary
from residents.core.selectors.residents import SORT_CHOICES, past_due, resident_stays, residents_list, with_balance
from residents.core.services import residents as resident_services
from residents.dashboard.views.resident_sections import resident_sections
from residents.models import Resident


def _query_with(request, **changes) -> str:
    """The list's current query string with ``changes`` made and the page number dropped (a new order starts at 1)."""
    query = request.GET.copy()
    query.pop("page", None)
    for name, value in changes.items():
        query[name] = value
    return query.urlencode()


@staff_required
def resident_list(request):
    form = ResidentFilterForm(request.GET or None, houses=House.objects.visible_to(request.viewer))
    filters = form.cleaned_data if form.is_valid() else {}
    sort = filters.get("sort", "")
    residents = residents_list(
        viewer=request.viewer,
        text=filters.get("q", ""),
        house_id=filters.get("house"),
        house_name=filters.get("house_name", ""),
        status=form.status_filter(),
        owing=filters.get("owing", False),
        sort=sort,
    )
    page_obj = paginate(request, residents)
    late = past_due([resident.pk for resident in page_obj.object_list], on=request.viewer.organization.today())
    for resident in page_obj.object_list:
        resident.past_due = late.get(resident.pk)
    context = {
        "section": "residents",
        "form": form,
        "page_obj": page_obj,
        "filtered": form.narrowed(),
        # Only people living here now are listed by default; an empty answer offers to look at everyone.
        "everyone_link": f"?{_query_with(request, status='all')}"
        if form.status_filter() == "current"
        and not page_obj.object_list
        and Resident.objects.visible_to(request.viewer).exists()
        else "",
        "sort_links": [
            (value, label, f"?{_query_with(request, sort=value)}", value == sort) for value, label in SORT_CHOICES
        ],
    }
    return render(request, "residents/resident_list.html", context, status=400 if form.errors else 200)


def _resident(request, resident_id) -> Resident:
    # With its balance, read in the same query, for the summary at the top of the page.
    residents = with_balance(Resident.objects.visible_to(request.viewer).select_related("membership__user"))
    return get_object_or_404(residents, pk=resident_id)


def _resident_context(request, resident, **forms):
    sections = resident_sections(request, resident, forms)
    today = request.viewer.organization.today()
    return {
        "section": "residents",
        "resident": resident,
        "stays": resident_stays(viewer=request.viewer, resident=resident),
        "profile_form": forms.get("profile_form") or ResidentProfileForm(instance=resident),
        "portal_form": forms.get("portal_form") or PortalLoginForm(initial={"email": resident.email}),
        "summary": resident_summary(resident=resident, life=sections["life"], today=today),
        **sections,
    }


@staff_required
def resident_detail(request, resident_id):
    resident = _resident(request, resident_id)
    return render(request, "residents/resident/detail.html", _resident_context(request, resident))


@staff_required
@require_POST
def resident_profile(request, resident_id):
    resident = _resident(request, resident_id)
    # The form works on a copy, so the page header keeps the saved name while the form shows what was typed.
    form = ResidentProfileForm(request.POST, instance=Resident.objects.get(pk=resident.pk))
    if form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            if changes:
                resident_services.resident_update(actor=request.viewer, resident=resident, **changes)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Profile saved.") if changes else _("Nothing changed."))
            return redirect("resident", resident_id=resident.pk)
    context = _resident_context(request, resident, profile_form=form)
    return render(request, "residents/resident/detail.html", context, status=400)


@staff_required
@require_POST
def resident_portal_login(request, resident_id):
    resident = _resident(request, resident_id)
    form = PortalLoginForm(request.POST)
    if form.is_valid():
        try:
            membership = resident_services.resident_grant_portal_login(
                actor=request.viewer,
                resident=resident,
                email=form.cleaned_data["email"],
                base_url=request.build_absolute_uri("/"),
            )
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(
                request,
                _("Portal invitation sent to %(email)s. The login works once they accept it from the e-mail.")
                % {"email": membership.user.email},
            )
            return redirect("resident", resident_id=resident.pk)
    context = _resident_context(request, resident, portal_form=form)
    return render(request, "residents/resident/detail.html", context, status=400)


def _portal_invitation_refused(request, resident, error: DomainError):
    if isinstance(error, NotAllowed):
        raise PermissionDenied(error.message)
    messages.error(request, error.message)
    return render(request, "residents/resident/detail.html", _resident_context(request, resident), status=400)


@staff_required
@require_POST
def resident_portal_invitation_withdraw(request, resident_id):
    resident = _resident(request, resident_id)
    try:
        resident_services.resident_portal_invitation_withdraw(actor=request.viewer, resident=resident)
    except DomainError as error:
        return _portal_invitation_refused(request, resident, error)
    messages.success(request, _("Portal invitation withdrawn: its link no longer works."))
    return redirect("resident", resident_id=resident.pk)


@staff_required
@require_POST
def resident_portal_invitation_resend(request, resident_id):
    resident = _resident(request, resident_id)
    try:
        membership = resident_services.resident_portal_invitation_resend(
            actor=request.viewer, resident=resident, base_url=request.build_absolute_uri("/")
        )
    except DomainError as error:
        return _portal_invitation_refused(request, resident, error)
    messages.success(request, _("Portal invitation sent again to %(email)s.") % {"email": membership.user.email})
    return redirect("resident", resident_id=resident.pk)
