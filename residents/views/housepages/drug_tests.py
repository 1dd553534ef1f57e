"""A house's drug testing: this week's random draw, requests due and overdue, a draw's replay check, and recording
a result from a request. Results are sensitive: every list of them shown and every result recorded is audited."""

from itertools import zip_longest

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.audit import Action, record
from accounts.exceptions import DomainError
from accounts.views import staff_required
from houses.models import House
from residents.forms.housepages.common import valid_on_clock
from residents.forms.housepages.drug_tests import DrugTestForm
from residents.models import DrugTest, DrugTestPolicy, Resident, TestRequest
from residents.selectors.drug_tests import draws_for, drug_tests_for, overdue_test_requests, test_requests_for
from residents.selectors.housepages import due_test_requests
from residents.services import drug_test_draws as draw_services
from residents.services import drug_tests as test_services

from .common import house_of, refuse, render_house

RECENT_TESTS = 15


def audit_list(request, tests) -> None:
    """Staff read these results: one audit entry naming every test shown (nothing shown, nothing read)."""
    if tests:
        record(
            request=request, viewer=request.viewer, action=Action.LIST, model=DrugTest, object_ids=[t.pk for t in tests]
        )


def audit_created(request, test: DrugTest) -> None:
    record(request=request, viewer=request.viewer, action=Action.CREATE, model=DrugTest, object_ids=[test.pk])


def _render(request, house, *, draw_error="", status=200):
    viewer = request.viewer
    week_start = draw_services.week_start_of(house.organization.today())
    draws = draws_for(viewer=viewer).filter(house=house).order_by("-week_start")
    draw = draws.filter(week_start=week_start).first()
    drawn = []
    if draw is not None:
        drawn = list(draw.requests.select_related("resident", "fulfilled_by").order_by("resident__legal_last_name"))
    tests = list(drug_tests_for(viewer=viewer).filter(house=house)[:RECENT_TESTS])
    audit_list(request, tests)
    context = {
        "policy": DrugTestPolicy.for_house(house),
        "week_start": week_start,
        "draw": draw,
        "drawn": drawn,
        "draw_error": draw_error,
        "due": due_test_requests(viewer=viewer, house=house),
        "overdue": overdue_test_requests(viewer=viewer, house=house),
        "past_draws": draws.exclude(week_start=week_start)[:8],
        "tests": tests,
    }
    return render_house(request, "residents/house/drug_tests.html", house, "drug-tests", context, status=status)


@staff_required
@require_safe
def house_drug_tests(request, house_id):
    return _render(request, house_of(request, house_id))


@staff_required
@require_POST
def house_draw(request, house_id):
    """Draws this week (the organization's calendar) at the house policy's percentage; a second draw of the same
    week changes nothing and says so."""
    house = house_of(request, house_id)
    week_start = draw_services.week_start_of(house.organization.today())
    try:
        draw, created = draw_services.drug_test_draw(actor=request.user, house=house, week_start=week_start)
    except DomainError as error:
        return _render(request, house, draw_error=error.message, status=400)
    if created and draw.count:
        due_on = draw.requests.values_list("due_on", flat=True).first()
        messages.success(
            request,
            f"Drawn: {draw.count} of {len(draw.population)} residents ({draw.percentage}%) for the week of "
            f"{week_start:%b %-d}. Each has a test request due {due_on:%a %b %-d}.",
        )
    elif created:
        messages.success(request, f"Drawn for the week of {week_start:%b %-d}: nobody was living in {house.name}.")
    else:
        messages.info(request, f"The week of {week_start:%b %-d} was already drawn; nothing changed.")
    return redirect("house-drug-tests", house_id=house.pk)


@staff_required
@require_safe
def house_draw_replay(request, house_id, draw_id):
    """Re-runs a stored draw from its seed and population, so anyone can see it picked who it says it picked."""
    house = house_of(request, house_id)
    draw = get_object_or_404(draws_for(viewer=request.viewer).filter(house=house), pk=draw_id)
    replayed = draw_services.draw_replay(draw)
    population = Resident.objects.in_bulk(draw.population)
    context = {
        "draw": draw,
        "rows": list(zip_longest([population.get(pk) for pk in draw.selected], replayed)),
        "matches": [resident.pk for resident in replayed] == list(draw.selected),
        "population": [population[pk] for pk in draw.population if pk in population],
    }
    return render_house(request, "residents/house/draw_replay.html", house, "drug-tests", context)


def _visible_houses(request):
    return House.objects.visible_to(request.viewer)


@staff_required
def house_test_record(request, house_id, request_id):
    """Records the result of a test asked for by a request; the test fulfils the resident's oldest due request."""
    house = house_of(request, house_id)
    requests = test_requests_for(viewer=request.viewer).filter(house=house).select_related("resident__organization")
    test_request = get_object_or_404(requests, pk=request_id)
    now = timezone.localtime(timezone.now(), house.organization.tzinfo).replace(second=0, microsecond=0)
    form = DrugTestForm(request.POST or None, with_reason=False, initial={"collected_at": now})
    status = 200
    if request.method == "POST":
        status = 400
        if test_request.status != TestRequest.Status.OPEN:
            form.add_error(None, f"This request is already {test_request.get_status_display().lower()}.")
            status = 409
        elif valid_on_clock(form, house.organization.tzinfo):
            try:
                test = test_services.drug_test_record(
                    actor=request.user, resident=test_request.resident, reason=test_request.reason,
                    houses=_visible_houses(request), **form.cleaned_data,
                )  # fmt: skip
            except DomainError as error:
                refuse(form, error)
            else:
                audit_created(request, test)
                answered = TestRequest.objects.filter(fulfilled_by=test).first()
                done = f" The request due {answered.due_on:%b %-d} is fulfilled." if answered else ""
                messages.success(
                    request, f"{test.get_result_display()} result recorded for {test_request.resident}.{done}"
                )
                return redirect("house-drug-tests", house_id=house.pk)
    context = {"test_request": test_request, "form": form}
    return render_house(request, "residents/house/test_record.html", house, "drug-tests", context, status=status)
