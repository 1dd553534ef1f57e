from datetime import date, timedelta

from django.db.models import OuterRef, QuerySet, Subquery

from accounts.models import Membership
from houses.models import Bed, House
from residents.core.selectors.nights import on_night
from residents.core.selectors.residents import past_due
from residents.models import BedAssignment, SignOut, Stay, TestRequest
from residents.program.selectors.signouts import find_curfew_violations


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


def occupant_badges(*, viewer: Membership, beds, today: date) -> dict[int, dict]:
    """What each occupied bed's card flags about its occupant, by stay id: ``owes`` (a ``PastDue``, rent past due,
    from the app that keeps the money), ``test_due`` (the soonest open drug-test request due today or earlier),
    ``out`` (the open sign-out: signed out now) and ``late`` (last night's curfew violation).

    A fixed number of queries whatever the number of beds."""
    occupied = {bed.occupant_stay_id: bed.occupant_resident_id for bed in beds if bed.occupant_stay_id}
    if not occupied:
        return {}
    badges = {stay_id: {"owes": None, "test_due": None, "out": None, "late": None} for stay_id in occupied}
    owing = past_due(occupied.values(), on=today)
    for stay_id, resident_id in occupied.items():
        badges[stay_id]["owes"] = owing.get(resident_id)
    due = TestRequest.objects.open().filter(stay_id__in=list(occupied), due_on__lte=today).order_by("-due_on", "pk")
    for request in due:
        badges[request.stay_id]["test_due"] = request  # the soonest due wins, being last
    for sign_out in SignOut.objects.open().filter(stay_id__in=list(occupied)).order_by("signed_out_at", "pk"):
        badges[sign_out.stay_id]["out"] = sign_out
    last_night = today - timedelta(days=1)
    stays = Stay.objects.filter(pk__in=list(occupied)).select_related("resident")
    for violation in find_curfew_violations(
        organization=viewer.organization, stays=stays, first_night=last_night, last_night=last_night
    ):
        badges[violation.stay.pk]["late"] = violation
    return badges


def free_beds(*, viewer: Membership, night: date, houses: QuerySet[House] | None = None) -> list[Bed]:
    """Beds the viewer may see that are free on night ``night`` and not booked by a later admission: in service,
    nobody in them, in ``houses`` when given. Ordered as the board is. One query."""
    beds = bed_board(viewer=viewer, on=night)
    if houses is not None:
        beds = beds.filter(house__in=houses)
    return [bed for bed in beds if not bed.occupant_stay_id and not bed.booked_from and bed.in_service_on(night)]


def houses_fitting(*, viewer: Membership, application) -> QuerySet[House]:
    """The open houses an application could be admitted to: the one asked for, else every house the viewer may see
    whose designation fits the one asked for (any, when none was)."""
    houses = House.objects.visible_to(viewer).exclude(status=House.Status.CLOSED)
    if application.preferred_house_id:
        return houses.filter(pk=application.preferred_house_id)
    if application.preferred_gender:
        return houses.filter(gender=application.preferred_gender)
    return houses
