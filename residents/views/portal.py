"""The resident portal (phone-sized pages)."""

from django.shortcuts import render

from accounts.views import resident_required
from residents.selectors.stays import current_stay_for_member


@resident_required
def portal(request):
    stay = current_stay_for_member(viewer=request.viewer)
    return render(request, "residents/portal.html", {"stay": stay})
