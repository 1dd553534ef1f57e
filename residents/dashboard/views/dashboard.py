"""The staff landing page: each house's census tonight, free and out-of-service beds, the waitlist, applications
waiting for a first reply, and what the houses need done today (tests, chores, signatures, who is out, passes,
incidents, residents behind)."""

from django.shortcuts import render
from django.utils import timezone

from accounts.views import staff_required
from residents.core.selectors.applications import awaiting_first_reply
from residents.dashboard.selectors.dashboard import house_census, house_life_today
from residents.retention.selectors import due_count


@staff_required
def dashboard(request):
    viewer = request.viewer
    today = house_life_today(viewer=viewer)
    now = timezone.now()
    context = {"section": "dashboard", **house_census(viewer=viewer), "life": today, "now": now}
    context["awaiting_reply"] = awaiting_first_reply(viewer=viewer, now=now)
    context["archive_due"] = due_count(viewer=viewer)
    with timezone.override(viewer.organization.tzinfo):
        return render(request, "residents/dashboard.html", context)
