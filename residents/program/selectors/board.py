"""Reads of the house sign-out board: who is in, who is out, which passes wait. Scoped and joined, so each list
costs the same few queries whatever it holds."""

from datetime import date, datetime, time

from django.db.models import Q, QuerySet

from accounts.models import Membership
from houses.models import House
from residents.core.selectors.nights import stays_on_night
from residents.models import OvernightPass, SignOut, Stay
from residents.program.selectors.signouts import passes_for, sign_outs_for


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


def stays_sleeping_in(*, viewer: Membership, house: House) -> QuerySet[Stay]:
    """Open stays the viewer may see that sleep in the house tonight (``nights``, the house's today), by name: a
    transfer dated ahead leaves them in the house they sleep in until that night."""
    tonight = stays_on_night(night=house.organization.today(), houses=house).values("pk")
    return (
        Stay.objects.visible_to(viewer)
        .open()
        .filter(pk__in=tonight)
        .select_related("resident")
        .order_by("resident__legal_last_name", "resident__legal_first_name", "pk")
    )


def stays_in(*, viewer: Membership, house: House) -> QuerySet[Stay]:
    """Stays sleeping in the house tonight (``stays_sleeping_in``) whose resident is in now (no open sign-out), by
    name: who staff can sign out."""
    out = SignOut.objects.filter(signed_in_at__isnull=True).values("stay")
    return stays_sleeping_in(viewer=viewer, house=house).exclude(pk__in=out)


def passes_out_now(*, viewer: Membership, house: House) -> QuerySet[OvernightPass]:
    """Approved passes of the house that have begun (the organization's date) and whose return is not recorded yet,
    the soonest due back first: who staff record back from a pass."""
    today = viewer.organization.today()
    return (
        passes_for(viewer=viewer)
        .filter(house=house, status=OvernightPass.Status.APPROVED, leave_on__lte=today, returned_at__isnull=True)
        .order_by("return_on", "leave_on", "pk")
    )
