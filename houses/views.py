from django.shortcuts import render

from accounts.views import staff_required

from .selectors import houses_for


@staff_required
def dashboard(request):
    houses = houses_for(viewer=request.viewer).filter(status="active")
    return render(request, "houses/dashboard.html", {"houses": houses})
