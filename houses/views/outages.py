"""Operator pages for one bed's outage history: every outage, past, running or ahead, each corrected on its own
form (the new dates replace the old) or removed; a past outage can be recorded too."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.exceptions import DomainError
from accounts.pages import refuse
from accounts.views import operator_required
from houses import selectors, services
from houses.forms import OutageForm
from houses.models import Bed
from houses.selectors import house_in_scope


def _bed(request, house_id, bed_id) -> Bed:
    house = house_in_scope(request, house_id)
    return get_object_or_404(
        Bed.objects.visible_to(request.viewer).select_related("room", "house"), pk=bed_id, house=house
    )


def _outage(request, bed, outage_id):
    return get_object_or_404(selectors.outages_for(viewer=request.viewer, bed=bed), pk=outage_id)


def _history(request, bed, *, form=None, status=200):
    context = {
        "section": "houses",
        "house": bed.house,
        "bed": bed,
        "outages": selectors.outages_for(viewer=request.viewer, bed=bed),
        "form": form or OutageForm(),
    }
    return render(request, "houses/bed_outages.html", context, status=status)


def _done(request, bed, text):
    messages.success(
        request, _("%(room)s · %(bed)s: %(text)s") % {"room": bed.room.name, "bed": bed.label, "text": text}
    )
    return redirect("bed-outages", house_id=bed.house_id, bed_id=bed.pk)


@operator_required
def bed_outages(request, house_id, bed_id):
    return _history(request, _bed(request, house_id, bed_id))


@operator_required
@require_POST
def bed_outage_add(request, house_id, bed_id):
    bed = _bed(request, house_id, bed_id)
    form = OutageForm(request.POST)
    if form.is_valid():
        try:
            services.bed_outage_create(actor=request.viewer, bed=bed, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            return _done(request, bed, "outage recorded.")
    return _history(request, bed, form=form, status=400)


@operator_required
def bed_outage_edit(request, house_id, bed_id, outage_id):
    """One outage's reason and dates; what is saved replaces what was on record."""
    bed = _bed(request, house_id, bed_id)
    outage = _outage(request, bed, outage_id)
    initial = {"reason": outage.reason, "start": outage.start, "end": outage.end}
    form = OutageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.bed_outage_update(actor=request.viewer, outage=outage, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            return _done(request, bed, "outage saved.")
    context = {"section": "houses", "house": bed.house, "bed": bed, "outage": outage, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "houses/bed_outage_edit.html", context, status=status)


@operator_required
@require_POST
def bed_outage_remove(request, house_id, bed_id, outage_id):
    bed = _bed(request, house_id, bed_id)
    outage = _outage(request, bed, outage_id)
    try:
        services.bed_outage_delete(actor=request.viewer, outage=outage)
    except DomainError as error:
        messages.error(request, error.message)
        return _history(request, bed, status=400)
    return _done(request, bed, "outage removed.")
