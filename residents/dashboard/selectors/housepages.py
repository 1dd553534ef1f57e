"""Reads of house life for the staff pages: who is out, what is waiting, what is due. Scoped and joined, so each
list costs the same few queries whatever it holds."""

from datetime import date, datetime, time

from django.db.models import Q, QuerySet

from accounts.models import Membership
from houses.models import House
from residents.core.selectors.nights import residents_of
from residents.models import DrugTest, OvernightPass, Resident, SignOut, Stay, TestRequest
from residents.program.selectors.signouts import passes_for, sign_outs_for
from residents.testing.selectors import drug_tests_for


def signed_out_now(*, viewer: Membership, house: House | None = None) -> QuerySet[SignOut]:
    """Open sign-outs (not signed back in) the viewer may see, soonest expected back first."""
    sign_outs = sign_outs_for(viewer=viewer).open()
    if house is not None:
        sign_outs = sign_outs.filter(house=house)
    return sign_outs.order_by("expected_return_at", "pk")


def sign_outs_on(*, viewer: Membership, house: House, day: date) -> QuerySet[SignOut]:
    """The house's sign-out log for ``day`` (the organization's calendar): every sign-out made that day, and any
    made earlier that is still open, latest first."""
    midnight = datetime.combine(day, time.min, tzinfo=viewer.organization.tzinfo)
    return (
        sign_outs_for(viewer=viewer)
        .filter(house=house)
        .filter(Q(signed_out_at__gte=midnight) | Q(signed_in_at__isnull=True))
        .order_by("-signed_out_at", "-pk")
    )


def waiting_passes(*, viewer: Membership, house: House | None = None) -> QuerySet[OvernightPass]:
    """Overnight passes waiting for a decision, the soonest leaving first."""
    passes = passes_for(viewer=viewer).filter(status=OvernightPass.Status.REQUESTED)
    if house is not None:
        passes = passes.filter(house=house)
    return passes.order_by("leave_on", "requested_at", "pk")


def decided_passes(*, viewer: Membership, house: House) -> QuerySet[OvernightPass]:
    """The house's passes that have been decided (approved, denied) or cancelled, latest decision first."""
    return (
        passes_for(viewer=viewer)
        .filter(house=house)
        .exclude(status=OvernightPass.Status.REQUESTED)
        .order_by("-decided_at", "-leave_on", "-pk")
    )


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


def current_residents(*, house: House, day: date) -> QuerySet[Resident]:
    """Residents sleeping in ``house`` on night ``day`` (``nights.residents_of``), by name."""
    return Resident.objects.filter(pk__in=list(residents_of(house=house, night=day))).order_by(
        "legal_last_name", "legal_first_name", "pk"
    )


def stays_in(*, viewer: Membership, house: House) -> QuerySet[Stay]:
    """Open stays of the house the viewer may see whose resident is in now (moved in, no open sign-out), by name:
    who staff can sign out."""
    today = viewer.organization.today()
    out = SignOut.objects.filter(house=house, signed_in_at__isnull=True).values("stay")
    return (
        Stay.objects.visible_to(viewer)
        .open()
        .filter(house=house, move_in__lte=today)
        .exclude(pk__in=out)
        .select_related("resident")
        .order_by("resident__legal_last_name", "resident__legal_first_name", "pk")
    )


def passes_out_now(*, viewer: Membership, house: House) -> QuerySet[OvernightPass]:
    """Approved passes of the house that have begun (the organization's date) and whose return is not recorded yet,
    the soonest due back first: who staff record back from a pass."""
    today = viewer.organization.today()
    return (
        passes_for(viewer=viewer)
        .filter(house=house, status=OvernightPass.Status.APPROVED, leave_on__lte=today, returned_at__isnull=True)
        .order_by("return_on", "leave_on", "pk")
    )
