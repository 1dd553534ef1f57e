"""A house's meetings: log one that has been held (``residents.meetings.services``) and read the past ones."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts.exceptions import DomainError
from accounts.forms import valid_on_clock
from accounts.models import Membership
from accounts.pages import paginate, refuse
from accounts.views import staff_required
from houses.selectors import house_in_scope
from residents.core.selectors.nights import residents_sleeping_in
from residents.core.views.house_pages import render_house
from residents.meetings import services as meeting_services
from residents.meetings.forms import HouseMeetingForm
from residents.meetings.selectors import house_meetings_for


def _form(request, house, data=None):
    members = Membership.objects.active().filter(organization_id=house.organization_id).select_related("user")
    now = timezone.localtime(timezone.now(), house.organization.tzinfo).replace(second=0, microsecond=0)
    return HouseMeetingForm(
        data,
        members=members.order_by("user__full_name", "pk"),
        residents=residents_sleeping_in(house=house, night=house.organization.today()),
        initial={"held_at": now, "facilitator": request.viewer.pk},
    )


def _render(request, house, *, form=None, status=200):
    meetings = house_meetings_for(viewer=request.viewer).filter(house=house).order_by("-held_at", "-pk")
    context = {"page_obj": paginate(request, meetings, per_page=10), "form": form or _form(request, house)}
    return render_house(request, "residents/house/meetings.html", house, "meetings", context, status=status)


@staff_required
@require_safe
def house_meetings(request, house_id):
    return _render(request, house_in_scope(request, house_id))


@staff_required
@require_POST
def house_meeting_log(request, house_id):
    house = house_in_scope(request, house_id)
    form = _form(request, house, request.POST)
    if valid_on_clock(form, house.organization.tzinfo):
        try:
            meeting = meeting_services.house_meeting_log(actor=request.viewer, house=house, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error, fields={"house": None})
        else:
            came = meeting.attendees.count()
            messages.success(
                request,
                ngettext(
                    "House meeting logged, %(came)s resident attended.",
                    "House meeting logged, %(came)s residents attended.",
                    came,
                )
                % {"came": came},
            )
            return redirect("house-meetings", house_id=house.pk)
    return _render(request, house, form=form, status=400)
