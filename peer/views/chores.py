"""The coordinator's weekly chore report: this week's chores of the house, each marked done, missed or excused by the
coordinator (every member sees the report)."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.calendar import week_of
from accounts.exceptions import DomainError, NotAllowed
from peer.models import Office
from peer.services.chores import chore_report_mark
from peer.views.common import member_page, render_house
from residents.models import ChoreAssignment


def _week(member, offset: int = 0):
    first, last = week_of(member.house.organization.today() + timedelta(weeks=offset))
    return first, last


def _report_page(request, member, *, status=200):
    offset = -1 if request.GET.get("week") == "last" else 0
    first, last = _week(member, offset)
    rows = (
        ChoreAssignment.objects.filter(house=member.house, due_date__gte=first, due_date__lte=last)
        .select_related("chore", "resident")
        .order_by("due_date", "chore__name")
    )
    context = {
        "rows": rows,
        "first": first,
        "last": last,
        "last_week": offset == -1,
        "may_mark": member.holds(Office.COORDINATOR),
        "marks": [(status, ChoreAssignment.Status(status).label) for status in ("done", "missed", "excused")],
    }
    return render_house(request, "peer/chores.html", member, "chores", context, status=status)


@require_safe
@member_page
def house_chores(request, member):
    return _report_page(request, member)


@require_POST
@member_page
def chore_mark(request, member, assignment_id):
    assignment = get_object_or_404(ChoreAssignment.objects.filter(house=member.house), pk=assignment_id)
    try:
        status, note = request.POST.get("status", ""), request.POST.get("note", "")
        chore_report_mark(actor=request.viewer, assignment=assignment, status=status, note=note)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
        return _report_page(request, member, status=400)
    messages.success(request, _("%(chore)s marked.") % {"chore": assignment.chore.name})
    return redirect("peer-chores")
