"""Operator page for one house's rooms and beds: add a room, add a bed, change a bed, take it out of service or
return it, retire it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.exceptions import DomainError
from accounts.pages import refuse
from accounts.views import operator_required
from houses import services
from houses.forms import BedEditForm, BedForm, OutOfServiceForm, RetireBedForm, RoomForm
from houses.models import Bed
from houses.selectors import house_in_scope


def _bed(request, house, bed_id) -> Bed:
    return get_object_or_404(Bed.objects.visible_to(request.viewer).select_related("room"), pk=bed_id, house=house)


def _bed_form(house, data=None) -> BedForm:
    return BedForm(data, prefix="bed", house=house, in_service_from=services.bed_default_in_service_from(house))


def _render(request, house, *, status=200, **forms):
    today = request.viewer.organization.today()
    beds = Bed.objects.with_service_on(today).order_by("label", "pk")
    rooms = house.rooms.order_by("floor", "name").prefetch_related(Prefetch("beds", queryset=beds))
    context = {
        "section": "houses",
        "house": house,
        "rooms": rooms,
        "today": today,
        "room_form": forms.get("room_form") or RoomForm(prefix="room"),
        "bed_form": forms.get("bed_form") or _bed_form(house),
    }
    return render(request, "houses/rooms.html", context, status=status)


def _bed_page(request, house, bed, form, *, template, status=200):
    context = {"section": "houses", "house": house, "bed": bed, "form": form}
    return render(request, f"houses/{template}.html", context, status=status)


@operator_required
def rooms(request, house_id):
    return _render(request, house_in_scope(request, house_id))


@operator_required
@require_POST
def room_add(request, house_id):
    house = house_in_scope(request, house_id)
    form = RoomForm(request.POST, prefix="room")
    if form.is_valid():
        try:
            room = services.room_create(actor=request.viewer, house=house, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("%(room)s added to %(house)s.") % {"room": room.name, "house": house.name})
            return redirect("house-rooms", house_id=house.pk)
    return _render(request, house, status=400, room_form=form)


@operator_required
@require_POST
def bed_add(request, house_id):
    house = house_in_scope(request, house_id)
    form = _bed_form(house, request.POST)
    if form.is_valid():
        try:
            bed = services.bed_create(actor=request.viewer, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("%(bed)s added to %(room)s.") % {"bed": bed.label, "room": bed.room.name})
            return redirect("house-rooms", house_id=house.pk)
    return _render(request, house, status=400, bed_form=form)


@operator_required
def bed_edit(request, house_id, bed_id):
    """A bed's label and the first night it was offered."""
    house = house_in_scope(request, house_id)
    bed = _bed(request, house, bed_id)
    form = BedEditForm(request.POST or None, initial={"label": bed.label, "in_service_from": bed.in_service_from})
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            if changes:
                services.bed_update(actor=request.viewer, bed=bed, **changes)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(
                request, _("%(room)s · %(label)s saved.") % {"room": bed.room.name, "label": form.cleaned_data["label"]}
            )
            return redirect("house-rooms", house_id=house.pk)
    status = 400 if request.method == "POST" else 200
    return _bed_page(request, house, bed, form, template="bed_edit", status=status)


@operator_required
def bed_out_of_service(request, house_id, bed_id):
    """A plain page (not a script dialog): the reason and dates for taking one bed out of service, or for
    correcting the outage it is in (the new dates replace the old)."""
    house = house_in_scope(request, house_id)
    bed = _bed(request, house, bed_id)
    if bed.status == Bed.Status.OUT_OF_SERVICE:
        initial = {name: getattr(bed, name) for name in OutOfServiceForm.base_fields}
    else:
        initial = {"out_of_service_from": request.viewer.organization.today()}
    form = OutOfServiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.bed_take_out_of_service(
                actor=request.viewer,
                bed=bed,
                reason=data["out_of_service_reason"],
                start=data["out_of_service_from"],
                until=data["out_of_service_until"],
            )
        except ValidationError as error:
            form.add_error(None, error)  # keyed by the bed's field names, which are the form's
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(
                request, _("%(room)s · %(bed)s is out of service.") % {"room": bed.room.name, "bed": bed.label}
            )
            return redirect("house-rooms", house_id=house.pk)
    status = 400 if request.method == "POST" else 200
    return _bed_page(request, house, bed, form, template="bed_out_of_service", status=status)


@operator_required
@require_POST
def bed_back_in_service(request, house_id, bed_id):
    house = house_in_scope(request, house_id)
    bed = _bed(request, house, bed_id)
    try:
        services.bed_return_to_service(actor=request.viewer, bed=bed)
    except DomainError as error:
        messages.error(request, error.message)
        return _render(request, house, status=400)
    messages.success(request, _("%(room)s · %(bed)s is back in service.") % {"room": bed.room.name, "bed": bed.label})
    return redirect("house-rooms", house_id=house.pk)


@operator_required
def bed_retire(request, house_id, bed_id):
    """Retiring a bed: from which night it is no longer offered. Refused while someone sleeps in it then."""
    house = house_in_scope(request, house_id)
    bed = _bed(request, house, bed_id)
    form = RetireBedForm(request.POST or None, initial={"retired_on": request.viewer.organization.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.bed_retire(actor=request.viewer, bed=bed, on=form.cleaned_data["retired_on"])
        except DomainError as error:
            refuse(form, error)
        else:
            retired_on = form.cleaned_data["retired_on"]
            messages.success(
                request,
                _("%(room)s · %(bed)s is retired from %(retired_on)s.")
                % {"room": bed.room.name, "bed": bed.label, "retired_on": date_format(retired_on, _("M j, Y"))},
            )
            return redirect("house-rooms", house_id=house.pk)
    status = 400 if request.method == "POST" else 200
    return _bed_page(request, house, bed, form, template="bed_retire", status=status)


@operator_required
@require_POST
def bed_unretire(request, house_id, bed_id):
    house = house_in_scope(request, house_id)
    bed = _bed(request, house, bed_id)
    try:
        services.bed_unretire(actor=request.viewer, bed=bed)
    except DomainError as error:
        messages.error(request, error.message)
        return _render(request, house, status=400)
    messages.success(request, _("%(room)s · %(bed)s is no longer retired.") % {"room": bed.room.name, "bed": bed.label})
    return redirect("house-rooms", house_id=house.pk)
