"""What the bed board flags about each occupant, gathered from every slice that knows something about them."""

from datetime import date, timedelta

from accounts.models import Membership
from residents.core.selectors.residents import past_due
from residents.models import SignOut, Stay, TestRequest
from residents.program.selectors.signouts import find_curfew_violations


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
