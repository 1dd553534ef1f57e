from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery

from accounts.models import Membership
from houses.models import Bed, House
from residents.core.selectors.nights import on_night
from residents.models import BedAssignment


def bed_board(*, viewer: Membership, house: House | None = None, on: date | None = None) -> QuerySet[Bed]:
    """Every bed the viewer may see (of one house, or of all their houses) with its room, house and status, and the
    resident sleeping in it on night ``on`` (default: tonight in the organization's time zone). One query.

    Each bed carries ``occupant_*`` annotations (empty when free) and ``booked_from`` when a future admission holds it.
    """
    night = on or viewer.organization.today()
    # The beds the house has that night (not yet added or already retired ones are not on the board), each with
    # whether it is in service then (``in_service_tonight``, the one rule: ``BedQuerySet.in_service_on``).
    beds = Bed.objects.visible_to(viewer).present_on(night).with_service_on(night).select_related("room", "house")
    if house is not None:
        beds = beds.filter(house=house)
    tonight = BedAssignment.objects.filter(on_night(night), bed=OuterRef("pk")).order_by("-start")
    ahead = BedAssignment.objects.filter(bed=OuterRef("pk"), start__gt=night).order_by("start")

    def occupant(field):
        return Subquery(tonight.values(field)[:1])

    return beds.annotate(
        occupant_stay_id=occupant("stay_id"),
        occupant_resident_id=occupant("stay__resident_id"),
        occupant_first_name=occupant("stay__resident__legal_first_name"),
        occupant_preferred_name=occupant("stay__resident__preferred_name"),
        occupant_last_name=occupant("stay__resident__legal_last_name"),
        occupant_move_in=occupant("stay__move_in"),
        booked_from=Subquery(ahead.values("start")[:1]),
    ).order_by("house__name", "room__floor", "room__name", "label", "pk")


def bed_board_summary(beds, *, night: date) -> dict:
    """Counts for the top of a board: beds, in service on the night, occupied, and free (in service, empty)."""
    total = in_service = occupied = free = 0
    for bed in beds:
        total += 1
        occupied += bool(bed.occupant_stay_id)
        if bed.in_service_on(night):
            in_service += 1
            free += not bed.occupant_stay_id
    return {"beds": total, "in_service": in_service, "occupied": occupied, "free": free}


def free_beds(*, viewer: Membership, night: date, houses: QuerySet[House] | None = None) -> list[Bed]:
    """Beds the viewer may see that an admission from night ``night`` can take: nobody in them or booked into them
    later, and in service that night and every night after (``Bed.takes_stays_from``, the rule admission checks), in
    ``houses`` when given. Ordered as the board is. One query."""
    beds = bed_board(viewer=viewer, on=night)
    if houses is not None:
        beds = beds.filter(house__in=houses)
    return [bed for bed in beds if not bed.occupant_stay_id and not bed.booked_from and bed.takes_stays_from(night)]


def houses_fitting(*, viewer: Membership, application) -> QuerySet[House]:
    """The open houses an application could be admitted to: the one asked for, else every house the viewer may see
    whose designation fits the one asked for (any, when none was)."""
    houses = House.objects.visible_to(viewer).exclude(status=House.Status.CLOSED)
    if application.preferred_house_id:
        return houses.filter(pk=application.preferred_house_id)
    if application.preferred_gender:
        return houses.filter(gender=application.preferred_gender)
    return houses
