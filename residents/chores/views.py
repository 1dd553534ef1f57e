"""A house's chores: their definitions, one week's rotation as a table by day, generating a week and marking how
each occurrence went (``residents.chores.services``)."""

from datetime import timedelta
from itertools import groupby

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts import calendar
from accounts.exceptions import DomainError
from accounts.pages import refuse
from accounts.views import staff_required
from houses.selectors import house_in_scope
from residents.chores import services as chore_services
from residents.chores.forms import ChoreForm, GenerateForm, MarkForm, WeekForm
from residents.chores.selectors import chore_assignments_for, chore_week, chores_for
from residents.core.views.house_pages import render_house


def _render(request, house, *, week_start=None, week_form=None, status=200, **forms):
    viewer = request.viewer
    week_form = week_form or WeekForm(request.GET or None)
    if week_start is None:
        day = week_form.cleaned_data.get("week") if week_form.is_valid() else None
        week_start = calendar.week_start(day or house.organization.today())
    marked = forms.get("mark_form")
    days = []
    assignments = chore_week(viewer=viewer, house=house, week_start=week_start)
    for day, rows in groupby(assignments, key=lambda assignment: assignment.due_date):
        rows = [
            (a, marked if marked is not None and marked.assignment.pk == a.pk else MarkForm(assignment=a)) for a in rows
        ]
        days.append({"day": day, "rows": rows})
    context = {
        "chores": chores_for(viewer=viewer).filter(house=house).order_by("-is_active", "name", "pk"),
        "week_form": week_form,
        "week_start": week_start,
        "week_end": week_start + timedelta(days=6),
        "previous_week": week_start - timedelta(weeks=1),
        "next_week": week_start + timedelta(weeks=1),
        "days": days,
        "chore_form": forms.get("chore_form") or ChoreForm(prefix="chore"),
        "generate_form": forms.get("generate_form") or GenerateForm(initial={"week_start": week_start}),
    }
    if week_form.errors:
        status = 400
    return render_house(request, "residents/house/chores.html", house, "chores", context, status=status)


def _back_to_week(house, week_start):
    return redirect(f"{reverse('house-chores', args=[house.pk])}?week={week_start:%Y-%m-%d}#week")


@staff_required
@require_safe
def house_chores(request, house_id):
    return _render(request, house_in_scope(request, house_id))


@staff_required
@require_POST
def house_chore_add(request, house_id):
    house = house_in_scope(request, house_id)
    form = ChoreForm(request.POST, prefix="chore")
    if form.is_valid():
        try:
            chore = chore_services.chore_create(actor=request.viewer, house=house, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error, fields={"house": None})
        else:
            messages.success(
                request,
                _("“%(name)s” added. It joins the rotation from the next week generated.") % {"name": chore.name},
            )
            return redirect("house-chores", house_id=house.pk)
    return _render(request, house, chore_form=form, status=400)


@staff_required
def house_chore_edit(request, house_id, chore_id):
    house = house_in_scope(request, house_id)
    chore = get_object_or_404(chores_for(viewer=request.viewer).filter(house=house), pk=chore_id)
    form = ChoreForm.for_chore(chore, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            chore = chore_services.chore_update(actor=request.viewer, chore=chore, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error, fields={"house": None})
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": chore.name})
            return redirect("house-chores", house_id=house.pk)
    status = 400 if request.method == "POST" else 200
    context = {"chore": chore, "form": form}
    return render_house(request, "residents/house/chore_form.html", house, "chores", context, status=status)


@staff_required
@require_POST
def house_chores_generate(request, house_id):
    house = house_in_scope(request, house_id)
    form = GenerateForm(request.POST)
    if form.is_valid():
        week_start = form.cleaned_data["week_start"]
        try:
            result = chore_services.chore_rotation_generate(actor=request.viewer, house=house, week_start=week_start)
        except DomainError as error:
            refuse(form, error, fields={"house": None})
        else:
            counts = {
                "week_start": date_format(week_start, _("M j")),
                "created": result.created,
                "reassigned": result.reassigned,
                "cancelled": result.cancelled,
            }
            if result.reassigned or result.cancelled:
                generated = _(
                    "Week of %(week_start)s generated: %(created)s new, %(reassigned)s handed on, "
                    "%(cancelled)s cancelled."
                )
            else:
                generated = _("Week of %(week_start)s generated: %(created)s new.")
            messages.success(request, generated % counts)
            return _back_to_week(house, week_start)
    return _render(request, house, generate_form=form, status=400)


@staff_required
@require_POST
def house_chore_mark(request, house_id, assignment_id):
    house = house_in_scope(request, house_id)
    assignments = chore_assignments_for(viewer=request.viewer).filter(house=house)
    assignment = get_object_or_404(assignments, pk=assignment_id)
    form = MarkForm(request.POST, assignment=assignment)
    week_start = calendar.week_start(assignment.due_date)
    if form.is_valid():
        try:
            marked = chore_services.chore_assignment_mark(
                actor=request.viewer, assignment=assignment, **form.cleaned_data
            )
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(
                request,
                _("%(name)s on %(due_date)s (%(resident)s): %(lower)s.")
                % {
                    "name": assignment.chore.name,
                    "due_date": date_format(assignment.due_date, _("D M j")),
                    "resident": assignment.resident,
                    "lower": marked.get_status_display().lower(),
                },
            )
            return _back_to_week(house, week_start)
    return _render(request, house, week_start=week_start, week_form=WeekForm(), mark_form=form, status=400)
