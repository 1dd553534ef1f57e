"""The staff landing page: each house's census tonight, free and out-of-service beds, and the waitlist."""

from django.shortcuts import render

from accounts.views import staff_required
from residents.selectors.dashboard import house_census


@staff_required
def dashboard(request):
    return render(request, "residents/dashboard.html", {"section": "dashboard", **house_census(viewer=request.viewer)})
