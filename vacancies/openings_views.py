"""The staff's openings page: beds opening in their houses and who on the waitlist was asked, with the answers."""

from django.shortcuts import render

from accounts.views import staff_required

from .services.openings import openings_board


@staff_required
def openings_page(request):
    openings = list(openings_board(viewer=request.viewer))
    context = {
        "section": "openings",
        "openings": openings,
        "today": request.viewer.organization.today(),
        "notice_days": request.viewer.organization.opening_notice_days,
    }
    return render(request, "vacancies/openings/openings.html", context)
