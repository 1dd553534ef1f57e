"""A house's drug testing: this week's random draw, requests due and overdue (recording a result from one, or
cancelling it), tests waiting for the lab (entering the lab's result), and a draw's replay check. Results are
sensitive: the selectors and services audit every list of them shown and every result recorded (one entry per
request names every test the page shows)."""

from itertools import zip_longest

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts import calendar
from accounts.exceptions import Conflict, DomainError, NotAllowed
from accounts.forms import valid_on_clock
from accounts.pages import refuse
from accounts.views import staff_required
from houses.selectors import house_in_scope
from residents.core.views.house_pages import render_house
from residents.models import DrugTest, DrugTestPolicy, Resident, TestRequest
from residents.testing.forms import DrugTestForm, LabResultForm, RequestCancelForm
from residents.testing.selectors import (
    draws_for,
    drug_tests_for,
    due_test_requests,
    overdue_test_requests,
    pending_lab_tests,
    test_requests_for,
)
from residents.testing.services import drug_test_draws as draw_services
from residents.testing.services import drug_tests as test_services

RECENT_TESTS = 15
CONFLICT = 409


def _with_forms(rows, form_class, name: str, bound=None):
    """Each row with its own form (``form_class(name=row)``): the refused one, still bound, for its row."""
    return [
        (row, bound if bound is not None and getattr(bound, name).pk == row.pk else form_class(**{name: row}))
        for row in rows
    ]


def _render(request, house, *, draw_error="", status=200, lab_form=None, cancel_form=None):
    viewer = request.viewer
    week_start = calendar.week_start(house.organization.today())
    draws = draws_for(viewer=viewer).filter(house=house).order_by("-week_start")
    draw = draws.filter(week_start=week_start).first()
    drawn = []
    if draw is not None:
        drawn = list(draw.requests.select_related("resident", "fulfilled_by").order_by("resident__legal_last_name"))
    tests = list(drug_tests_for(viewer=viewer).filter(house=house)[:RECENT_TESTS])
    pending = list(pending_lab_tests(viewer=viewer, house=house))
    cancel = (RequestCancelForm, "test_request", cancel_form)
    context = {
        "policy": DrugTestPolicy.for_house(house),
        "week_start": week_start,
        "draw": draw,
        "drawn": drawn,
        "draw_error": draw_error,
        "due": _with_forms(due_test_requests(viewer=viewer, house=house), *cancel),
        "overdue": _with_forms(overdue_test_requests(viewer=viewer, house=house), *cancel),
        "pending": _with_forms(pending, LabResultForm, "test", lab_form),
        "past_draws": draws.exclude(week_start=week_start)[:8],
        "tests": tests,
    }
    return render_house(request, "residents/house/drug_tests.html", house, "drug-tests", context, status=status)


@staff_required
@require_safe
def house_drug_tests(request, house_id):
    return _render(request, house_in_scope(request, house_id))


@staff_required
@require_POST
def house_draw(request, house_id):
    """Draws this week (the organization's calendar) at the house policy's percentage; a second draw of the same
    week changes nothing and says so."""
    house = house_in_scope(request, house_id)
    week_start = calendar.week_start(house.organization.today())
    try:
        draw, created = draw_services.drug_test_draw(actor=request.viewer, house=house, week_start=week_start)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        return _render(request, house, draw_error=error.message, status=400)
    if created and draw.count:
        due_on = draw.requests.values_list("due_on", flat=True).first()
        messages.success(
            request,
            _(
                "Drawn: %(count)s of %(count2)s residents (%(percentage)s%%) for the week of "
                "%(week_start)s. Each has a test request due %(due_on)s."
            )
            % {
                "count": draw.count,
                "count2": len(draw.population),
                "percentage": draw.percentage,
                "week_start": date_format(week_start, _("M j")),
                "due_on": date_format(due_on, _("D M j")),
            },
        )
    elif created:
        messages.success(
            request,
            _("Drawn for the week of %(week_start)s: nobody was living in %(name)s.")
            % {"week_start": date_format(week_start, _("M j")), "name": house.name},
        )
    else:
        messages.info(
            request,
            _("The week of %(week_start)s was already drawn; nothing changed.")
            % {"week_start": date_format(week_start, _("M j"))},
        )
    return redirect("house-drug-tests", house_id=house.pk)


@staff_required
@require_safe
def house_draw_replay(request, house_id, draw_id):
    """Re-runs a stored draw from its seed and population, so anyone can see it picked who it says it picked."""
    house = house_in_scope(request, house_id)
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


@staff_required
def house_test_record(request, house_id, request_id):
    """Records the result of a test asked for by a request; the test fulfils the resident's oldest due request."""
    house = house_in_scope(request, house_id)
    requests = test_requests_for(viewer=request.viewer).filter(house=house).select_related("resident__organization")
    test_request = get_object_or_404(requests, pk=request_id)
    now = timezone.localtime(timezone.now(), house.organization.tzinfo).replace(second=0, microsecond=0)
    form = DrugTestForm(request.POST or None, with_reason=False, initial={"collected_at": now})
    status = 200
    if request.method == "POST":
        status = 400
        if test_request.status != TestRequest.Status.OPEN:
            form.add_error(
                None, _("This request is already %(lower)s.") % {"lower": test_request.get_status_display().lower()}
            )
            status = 409
        elif valid_on_clock(form, house.organization.tzinfo):
            try:
                test = test_services.drug_test_record(
                    actor=request.viewer, resident=test_request.resident, reason=test_request.reason,
                    **form.cleaned_data,
                )  # fmt: skip
            except DomainError as error:
                refuse(form, error)
            else:
                answered = TestRequest.objects.filter(fulfilled_by=test).first()
                recorded = _("%(result)s result recorded for %(resident)s.") % {
                    "result": test.get_result_display(),
                    "resident": test_request.resident,
                }
                if answered:
                    recorded += " " + _("The request due %(due_on)s is fulfilled.") % {
                        "due_on": date_format(answered.due_on, _("M j"))
                    }
                messages.success(request, recorded)
                return redirect("house-drug-tests", house_id=house.pk)
    context = {"test_request": test_request, "form": form}
    return render_house(request, "residents/house/test_record.html", house, "drug-tests", context, status=status)


def _back(house, section):
    return redirect(f"{reverse('house-drug-tests', args=[house.pk])}#{section}")


def _conflict(request, house, error: DomainError):
    """Done meanwhile (by someone else, or a second click): the page as it is now, saying so."""
    messages.error(request, error.message)
    return _render(request, house, status=CONFLICT)


@staff_required
@require_POST
def house_lab_result(request, house_id, test_id):
    """Enters the lab's final result of a test recorded as pending; the result is recorded once."""
    house = house_in_scope(request, house_id)
    test = get_object_or_404(drug_tests_for(viewer=request.viewer).filter(house=house), pk=test_id)
    if test.result != DrugTest.Result.PENDING_LAB:
        return _conflict(
            request,
            house,
            Conflict(
                _("This test already has its result (%(get_result_display)s).")
                % {"get_result_display": test.get_result_display()}
            ),
        )
    form = LabResultForm(request.POST, test=test)
    if form.is_valid():
        try:
            test = test_services.drug_test_complete(actor=request.viewer, test=test, **form.cleaned_data)
        except DomainError as error:
            if isinstance(error, Conflict):
                return _conflict(request, house, error)
            refuse(form, error)
        else:
            collected = timezone.localtime(test.collected_at, house.organization.tzinfo)
            result = test.get_result_display()
            messages.success(
                request,
                _("%(result)s lab result entered for %(resident)s, collected %(collected)s.")
                % {"result": result, "resident": test.resident, "collected": date_format(collected, _("M j"))},
            )
            return _back(house, "lab")
    return _render(request, house, lab_form=form, status=400)


@staff_required
@require_POST
def house_test_request_cancel(request, house_id, request_id):
    """Cancels an open test request, saying why; it stays on record as cancelled."""
    house = house_in_scope(request, house_id)
    test_request = get_object_or_404(test_requests_for(viewer=request.viewer).filter(house=house), pk=request_id)
    form = RequestCancelForm(request.POST, test_request=test_request)
    if form.is_valid():
        try:
            test_services.test_request_cancel(
                actor=request.viewer, request=test_request, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            if isinstance(error, Conflict):
                return _conflict(request, house, error)
            refuse(form, error)
        else:
            messages.success(
                request,
                _("The %(lower)s test of %(resident)s due %(due_on)s is cancelled.")
                % {
                    "lower": test_request.get_reason_display().lower(),
                    "resident": test_request.resident,
                    "due_on": date_format(test_request.due_on, _("M j")),
                },
            )
            return _back(house, "due")
    return _render(request, house, cancel_form=form, status=400)
