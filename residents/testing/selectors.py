"""Reads about drug tests, test requests and draws, shared by the API, pages and reports. Where a resident lived on
a given day is ``residents.core.selectors.nights.residence_on_day``."""

from django.db.models import QuerySet

from accounts.audit import audited
from accounts.models import Membership
from houses.models import House
from residents.models import Draw, DrugTest, DrugTestPolicy, TestRequest


def drug_tests_for(*, viewer: Membership) -> QuerySet[DrugTest]:
    """Tests the viewer may see (residents: their own), with resident, house, collectors, panel and request; archived
    tests are out of day-to-day view (``residents.retention``). Results are sensitive: the rows fetched are an audited
    read by the viewer (``accounts.audit.audited``)."""
    tests = (
        DrugTest.objects.visible_to(viewer)
        .in_view()
        .select_related("resident", "house", "collected_by", "result_recorded_by", "fulfilled_request")
        .prefetch_related("substances")
    )
    return audited(tests, viewer=viewer)


def test_requests_for(*, viewer: Membership) -> QuerySet[TestRequest]:
    """Requests the viewer may see (residents: their own), with resident and house."""
    return TestRequest.objects.visible_to(viewer).select_related("resident", "house", "created_by")


def overdue_test_requests(*, viewer: Membership, house: House | None = None) -> QuerySet[TestRequest]:
    """Open requests due before today in the organization's time zone, oldest first, optionally for one house."""
    requests = test_requests_for(viewer=viewer).overdue(viewer.organization.today())
    if house is not None:
        requests = requests.filter(house=house)
    # The houses' own organization too (the same rows): the database then walks the houses in name order through
    # their (organization, name) index and stops at a page, instead of sorting every overdue request.
    requests = requests.filter(house__organization_id=viewer.organization_id)
    return requests.order_by("house__name", "due_on", "pk")


def draws_for(*, viewer: Membership) -> QuerySet[Draw]:
    """Draws of the houses the viewer may see, with the house and who drew."""
    return Draw.objects.visible_to(viewer).select_related("house", "drawn_by")


def drug_test_policies_for(*, viewer: Membership) -> QuerySet[DrugTestPolicy]:
    """Random-testing policies of the houses the viewer may see, with the house."""
    return DrugTestPolicy.objects.visible_to(viewer).select_related("house")


def pending_lab_tests(*, viewer: Membership, house: House) -> QuerySet[DrugTest]:
    """The house's tests still waiting for the lab's result, the longest waiting first, with their panels."""
    return (
        drug_tests_for(viewer=viewer)
        .filter(house=house, result=DrugTest.Result.PENDING_LAB)
        .order_by("collected_at", "pk")
    )


def due_test_requests(*, viewer: Membership, house: House) -> QuerySet[TestRequest]:
    """Open test requests of the house due today or later (the organization's date), soonest first; overdue ones
    are ``overdue_test_requests``."""
    today = viewer.organization.today()
    requests = TestRequest.objects.visible_to(viewer).open().filter(house=house, due_on__gte=today)
    return requests.select_related("resident", "draw").order_by("due_on", "resident__legal_last_name", "pk")
