"""The staff landing page's numbers: per house, tonight's census, free beds, beds out of service and waitlist."""

from collections import defaultdict

from accounts.models import Membership
from houses.models import House
from houses.selectors import houses_for

from .applications import waiting_count, waitlist_size
from .bed_board import bed_board, bed_board_summary


def house_census(*, viewer: Membership) -> dict:
    """Each active house the viewer may see with ``summary`` (``bed_board_summary`` for tonight) and
    ``out_of_service`` (beds not in service tonight), plus ``waitlist`` per house and ``waiting`` in all.

    Three queries whatever the number of houses and beds.
    """
    night = viewer.organization.today()
    houses = list(houses_for(viewer=viewer).filter(status=House.Status.ACTIVE).annotate(waitlist=waitlist_size()))
    beds_by_house = defaultdict(list)
    for bed in bed_board(viewer=viewer, on=night):
        beds_by_house[bed.house_id].append(bed)
    rows = []
    for house in houses:
        summary = bed_board_summary(beds_by_house.get(house.pk, []), night=night)
        rows.append({"house": house, "summary": summary, "out_of_service": summary["beds"] - summary["in_service"]})
    return {"night": night, "houses": rows, "waiting": waiting_count(viewer=viewer)}
