"""The bed board of a house, and the admit, transfer and discharge pages reached from its beds."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.exceptions import DomainError
from accounts.pages import refuse
from accounts.views import staff_required
from houses.models import Bed
from houses.selectors import house_in_scope
from residents.core.forms.stays import (
    AdmitApplicantForm,
    AdmitNewResidentForm,
    AdmitResidentForm,
    DischargeForm,
    TransferForm,
)
from residents.core.selectors.bed_board import free_beds
from residents.core.selectors.residents import residents_without_open_stay
from residents.core.services import applications as application_services
from residents.core.services import residents as resident_services
from residents.core.services import stays as stay_services
from residents.models import Application, BedAssignment, Stay

ADMIT_FORMS = {"applicant": AdmitApplicantForm, "resident": AdmitResidentForm, "new": AdmitNewResidentForm}


@staff_required
def admit(request, house_id, bed_id):
    """Three ways into a free bed: an applicant from the waitlist, a resident not living anywhere now, or a new
    person recorded on the spot. Each is its own small form; the one posted is validated and the others stay blank."""
    house = house_in_scope(request, house_id)
    bed = get_object_or_404(Bed.objects.visible_to(request.viewer).select_related("room"), pk=bed_id, house=house)
    today = request.viewer.organization.today()
    options = {
        "applicant": {"waitlist": Application.objects.waitlist_for(house)},
        "resident": {"residents": residents_without_open_stay(viewer=request.viewer)},
        "new": {},
    }
    way = request.POST.get("way") if request.method == "POST" else None
    forms = {
        name: form_class(request.POST if name == way else None, prefix=name, today=today, **options[name])
        for name, form_class in ADMIT_FORMS.items()
    }
    if way in forms:
        form = forms[way]
        if form.is_valid():
            data = form.cleaned_data
            try:
                if way == "applicant":
                    stay = application_services.application_admit(
                        actor=request.viewer, application=data["application"], bed=bed, on=data["on"]
                    )
                elif way == "resident":
                    stay = stay_services.stay_admit(
                        actor=request.viewer, resident=data["resident"], bed=bed, on=data["on"]
                    )
                else:
                    stay = resident_services.resident_admit_new(
                        actor=request.viewer,
                        bed=bed,
                        on=data["on"],
                        legal_first_name=data["legal_first_name"],
                        legal_last_name=data["legal_last_name"],
                        phone=data["phone"],
                    )
            except DomainError as error:
                refuse(form, error)
            else:
                messages.success(
                    request,
                    _("%(resident)s admitted to %(name)s · %(label)s from %(move_in)s.")
                    % {
                        "resident": stay.resident,
                        "name": bed.room.name,
                        "label": bed.label,
                        "move_in": date_format(stay.move_in, _("M j, Y")),
                    },
                )
                return redirect("bed-board", house_id=house.pk)
    context = {"section": "dashboard", "house": house, "bed": bed, "forms": forms, "way": way}
    return render(request, "residents/admit.html", context, status=400 if request.method == "POST" else 200)


def _open_stay(request, stay_id) -> Stay:
    stays = (
        Stay.objects.visible_to(request.viewer)
        .open()
        .select_related("resident", "house")
        .prefetch_related(Prefetch("bed_assignments", queryset=BedAssignment.objects.select_related("bed__room")))
    )
    return get_object_or_404(stays, pk=stay_id)


@staff_required
def transfer(request, stay_id):
    stay = _open_stay(request, stay_id)
    night = request.viewer.organization.today()
    offered = free_beds(viewer=request.viewer, night=night)  # the beds a stay can move into from tonight
    form = TransferForm(
        request.POST or None, today=night, free_beds=offered, beds=Bed.objects.visible_to(request.viewer)
    )
    if request.method == "POST" and form.is_valid():
        bed = form.cleaned_data["bed"]
        try:
            stay_services.stay_transfer(actor=request.viewer, stay=stay, bed=bed, on=form.cleaned_data["on"])
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(
                request,
                _("%(resident)s moves to %(name)s, %(name2)s · %(label)s from %(cleaned_data)s.")
                % {
                    "resident": stay.resident,
                    "name": bed.house.name,
                    "name2": bed.room.name,
                    "label": bed.label,
                    "cleaned_data": date_format(form.cleaned_data["on"], _("M j, Y")),
                },
            )
            return redirect("bed-board", house_id=stay.house_id)
    context = {"section": "dashboard", "stay": stay, "form": form, "has_free_beds": bool(offered)}
    return render(request, "residents/transfer.html", context, status=400 if request.method == "POST" else 200)


@staff_required
def discharge(request, stay_id):
    stay = _open_stay(request, stay_id)
    form = DischargeForm(request.POST or None, today=request.viewer.organization.today())
    if request.method == "POST" and form.is_valid():
        try:
            stay_services.stay_discharge(actor=request.viewer, stay=stay, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(
                request,
                _("%(resident)s discharged from %(name)s, moving out %(cleaned_data)s.")
                % {
                    "resident": stay.resident,
                    "name": stay.house.name,
                    "cleaned_data": date_format(form.cleaned_data["on"], _("M j, Y")),
                },
            )
            return redirect("bed-board", house_id=stay.house_id)
    context = {"section": "dashboard", "stay": stay, "form": form}
    return render(request, "residents/discharge.html", context, status=400 if request.method == "POST" else 200)


@staff_required
def waitlist(request, house_id):
    house = house_in_scope(request, house_id)
    waiting = Application.objects.waitlist_for(house).select_related("preferred_house")
    return render(request, "residents/waitlist.html", {"section": "applications", "house": house, "waiting": waiting})
