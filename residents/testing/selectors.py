"""Reads about drug tests, test requests and draws, shared by the API, pages and reports.

Also where a resident lived on a given day, from bed assignments (a stay's ``house`` is only its current house,
so a transfer would otherwise rewrite history).
"""

from datetime import date

from django.db.models import Q, QuerySet

from accounts.models import Membership
from houses.models import House
from residents.models import BedAssignment, Draw, DrugTest, Resident, TestRequest


def residence_on(*, resident: Resident, day: date, houses: QuerySet[House] | None = None) -> BedAssignment | None:
    """The bed assignment that had ``resident`` in a house on ``day``, with its stay and house, or None.

    A resident was in a house on day D when an assignment there has start <= D and (no end or end >= D): the
    morning they move out or transfer still counts. On a transfer day the newer assignment wins.
    ``houses`` (the caller's visible houses) narrows the search; a stay elsewhere reads as none.
    """
    assignments = BedAssignment.objects.filter(stay__resident=resident, start__lte=day).filter(
        Q(end__isnull=True) | Q(end__gte=day)
    )
    if houses is not None:
        assignments = assignments.filter(bed__house__in=houses)
    return assignments.select_related("stay", "bed__house").order_by("-start", "-pk").first()


def residents_in_house_on(*, house: House, day: date) -> QuerySet[Resident]:
    """Residents who were in ``house`` on ``day`` (same rule as ``residence_on``)."""
    return Resident.objects.filter(
        Q(stays__bed_assignments__end__isnull=True) | Q(stays__bed_assignments__end__gte=day),
        stays__bed_assignments__bed__house=house,
        stays__bed_assignments__start__lte=day,
    ).distinct()


def drug_tests_for(*, viewer: Membership) -> QuerySet[DrugTest]:
    """Tests the viewer may see (residents: their own), with resident, house, collectors, panel and request."""
    return (
        DrugTest.objects.visible_to(viewer)
        .select_related("resident", "house", "collected_by", "result_recorded_by", "fulfilled_request")
        .prefetch_related("substances")
    )


def test_requests_for(*, viewer: Membership) -> QuerySet[TestRequest]:
    """Requests the viewer may see (residents: their own), with resident and house."""
    return TestRequest.objects.visible_to(viewer).select_related("resident", "house", "created_by")


def overdue_test_requests(*, viewer: Membership, house: House | None = None) -> QuerySet[TestRequest]:
    """Open requests due before today in the organization's time zone, oldest first, optionally for one house."""
    requests = test_requests_for(viewer=viewer).overdue(viewer.organization.today())
    if house is not None:
        requests = requests.filter(house=house)
    return requests.order_by("house__name", "due_on", "pk")


def draws_for(*, viewer: Membership) -> QuerySet[Draw]:
    """Draws of the houses the viewer may see, with the house and who drew."""
    return Draw.objects.visible_to(viewer).select_related("house", "drawn_by")
