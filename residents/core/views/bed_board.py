"""The bed board of a house, and the admit, transfer and discharge pages reached from its beds."""

from itertools import groupby

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render

from accounts.exceptions import DomainError
from accounts.pages import show_domain_error
from accounts.views import staff_required
from houses.models import Bed, House
from residents.core.forms.stays import (
    AdmitApplicantForm,
    AdmitNewResidentForm,
    AdmitResidentForm,
    DischargeForm,
    TransferForm,
)
from residents.core.selectors.bed_board import bed_board, bed_board_summary, occupant_badges
from residents.core.selectors.residents import residents_without_open_stay
from residents.core.services import applications as application_services
from residents.core.services import residents as resident_services
from residents.core.services import stays as stay_services
from residents.models import Application, BedAssignment, Stay


def _house(request, house_id) -> House:
    return get_object_or_404(House.objects.visible_to(request.viewer), pk=house_id)


def _card(bed, night, badges=None):
    """What a bed's card shows: its state tonight in words, and the occupant with days in the house and their
    badges (``occupant_badges``)."""
    if bed.occupant_stay_id:
        first = bed.occupant_preferred_name or bed.occupant_first_name
        state = "occupied"
        occupant = {
            "name": f"{first} {bed.occupant_last_name}",
            "resident_id": bed.occupant_resident_id,
            "stay_id": bed.occupant_stay_id,
            "move_in": bed.occupant_move_in,
            "days": (night - bed.occupant_move_in).days,
            "badges": (badges or {}).get(bed.occupant_stay_id, {}),
        }
    else:
        state = "free" if bed.in_service_on(night) else "out"
        occupant = None
    return {"bed": bed, "state": state, "occupant": occupant}


@staff_required
def bed_board_page(request, house_id):
    house = _house(request, house_id)
    night = request.viewer.organization.today()
    beds = list(bed_board(viewer=request.viewer, house=house, on=night))
    badges = occupant_badges(viewer=request.viewer, beds=beds, today=night)
    rooms = [
        {"room": room, "cards": [_card(bed, night, badges) for bed in room_beds]}
        for room, room_beds in groupby(beds, key=lambda bed: bed.room)
    ]
    context = {
        "section": "dashboard",
        "house": house,
        "night": night,
        "summary": bed_board_summary(beds, night=night),
        "rooms": rooms,
        "waitlist_size": Application.objects.waitlist_for(house).count(),
    }
    return render(request, "residents/bed_board.html", context)


ADMIT_FORMS = {"applicant": AdmitApplicantForm, "resident": AdmitResidentForm, "new": AdmitNewResidentForm}


@staff_required
def admit(request, house_id, bed_id):
    """Three ways into a free bed: an applicant from the waitlist, a resident not living anywhere now, or a new
    person recorded on the spot. Each is its own small form; the one posted is validated and the others stay blank."""
    house = _house(request, house_id)
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
                        actor=request.user, application=data["application"], bed=bed, on=data["on"]
                    )
                elif way == "resident":
                    stay = stay_services.stay_admit(
                        actor=request.user, resident=data["resident"], bed=bed, on=data["on"]
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
                show_domain_error(form, error)
            else:
                messages.success(
                    request,
                    f"{stay.resident} admitted to {bed.room.name} · {bed.label} from {stay.move_in:%b %-d, %Y}.",
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
    free_beds = [
        bed
        for bed in bed_board(viewer=request.viewer, on=night)
        if not bed.occupant_stay_id and not bed.booked_from and bed.in_service_on(night)
    ]
    form = TransferForm(
        request.POST or None, today=night, free_beds=free_beds, beds=Bed.objects.visible_to(request.viewer)
    )
    if request.method == "POST" and form.is_valid():
        bed = form.cleaned_data["bed"]
        try:
            stay_services.stay_transfer(actor=request.user, stay=stay, bed=bed, on=form.cleaned_data["on"])
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                f"{stay.resident} moves to {bed.house.name}, {bed.room.name} · {bed.label} from "
                f"{form.cleaned_data['on']:%b %-d, %Y}.",
            )
            return redirect("bed-board", house_id=stay.house_id)
    context = {"section": "dashboard", "stay": stay, "form": form, "has_free_beds": bool(free_beds)}
    return render(request, "residents/transfer.html", context, status=400 if request.method == "POST" else 200)


@staff_required
def discharge(request, stay_id):
    stay = _open_stay(request, stay_id)
    form = DischargeForm(request.POST or None, today=request.viewer.organization.today())
    if request.method == "POST" and form.is_valid():
        try:
            stay_services.stay_discharge(actor=request.user, stay=stay, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                f"{stay.resident} discharged from {stay.house.name}, moving out {form.cleaned_data['on']:%b %-d, %Y}.",
            )
            return redirect("bed-board", house_id=stay.house_id)
    context = {"section": "dashboard", "stay": stay, "form": form}
    return render(request, "residents/discharge.html", context, status=400 if request.method == "POST" else 200)


@staff_required
def waitlist(request, house_id):
    house = _house(request, house_id)
    waiting = Application.objects.waitlist_for(house).select_related("preferred_house")
    return render(request, "residents/waitlist.html", {"section": "applications", "house": house, "waiting": waiting})
