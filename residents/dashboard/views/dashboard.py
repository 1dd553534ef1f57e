"""The staff landing page: totals over every house the member may see (census, free and out-of-service beds, the
waitlist, and what the houses need done today), applications waiting for a first reply, then a page of houses at a
time, searchable by name and ordered by what needs attention."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from accounts.views import staff_required
from residents.core.selectors.applications import awaiting_first_reply
from residents.dashboard.forms import HouseTableForm
from residents.dashboard.selectors.dashboard import (
    HOUSES_PER_PAGE,
    attention_totals,
    house_census,
    house_life_today,
    house_table,
)
from residents.retention.selectors import due_count


@staff_required
def dashboard(request):
    viewer = request.viewer
    form = HouseTableForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    search, sort = filters.get("q", "").strip(), filters.get("sort") or "name"
    page = Paginator(house_table(viewer=viewer, search=search, sort=sort), HOUSES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    houses = list(page.object_list)
    now = timezone.now()
    totals = attention_totals(viewer=viewer)
    context = {
        "section": "dashboard",
        **house_census(viewer=viewer, houses=houses),
        "page": page,
        "page_obj": page,
        "form": form if form.is_bound else HouseTableForm(),
        "search": search,
        "sort": sort,
        "totals": totals,
        "waiting": totals["waiting"],
        "life": house_life_today(viewer=viewer, houses=houses),
        "now": now,
    }
    context["awaiting_reply"] = awaiting_first_reply(viewer=viewer, now=now)
    context["archive_due"] = due_count(viewer=viewer)
    with timezone.override(viewer.organization.tzinfo):
        return render(request, "residents/dashboard.html", context)
