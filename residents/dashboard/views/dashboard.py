"""The staff landing page: each house's census tonight, free and out-of-service beds, the waitlist, and what the
houses need done today (tests, chores, signatures, who is out, passes, incidents, residents behind)."""

from django.shortcuts import render
from django.utils import timezone

from accounts.audit import Action, record
from accounts.views import staff_required
from residents.dashboard.selectors.dashboard import house_census, house_life_today
from residents.models import Incident


@staff_required
def dashboard(request):
    viewer = request.viewer
    today = house_life_today(viewer=viewer)
    if today["incidents"]:  # incidents are sensitive: showing them is an audited read
        ids = [incident.pk for incident in today["incidents"]]
        record(request=request, viewer=viewer, action=Action.LIST, model=Incident, object_ids=ids)
    context = {"section": "dashboard", **house_census(viewer=viewer), "life": today, "now": timezone.now()}
    with timezone.override(viewer.organization.tzinfo):
        return render(request, "residents/dashboard.html", context)
