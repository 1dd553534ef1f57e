"""The bed board page: every bed of a house tonight, each occupant with what other slices flag about them."""

from itertools import groupby

from django.shortcuts import render

from accounts.views import staff_required
from houses.selectors import house_in_scope
from residents.core.selectors.bed_board import bed_board, bed_board_summary
from residents.dashboard.selectors.bed_badges import occupant_badges
from residents.models import Application


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
    house = house_in_scope(request, house_id)
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
