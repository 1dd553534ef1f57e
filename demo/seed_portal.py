"""Demo data the resident portal needs beyond the topic seeds: the demo resident's own overnight passes.

The other seeds spread passes over the houses' residents and may leave the portal resident with none; this gives them
one of each kind a resident sees: a pass just taken (back yesterday, so the house asks for a test due today), one
denied last month with its reason, one approved ahead and one waiting for a decision. Dated relative to the
organization's today, written through the services, and skipped once the resident has any pass, so a second run
changes nothing.
"""

from datetime import date, datetime, time, timedelta

from accounts.models import Membership, Organization, Role
from residents.models import OvernightPass, Resident, SignOut, Stay
from residents.services import signouts as signout_services


def seed(organization: Organization) -> None:
    resident = (
        Resident.objects.filter(organization=organization, membership__isnull=False, membership__is_active=True)
        .select_related("membership__user")
        .order_by("pk")
        .first()
    )
    operator = Membership.objects.filter(organization=organization, role=Role.OPERATOR).order_by("pk").first()
    if resident is None or operator is None:
        return
    stay = Stay.objects.open().filter(resident=resident).select_related("organization").first()
    if stay is None or OvernightPass.objects.filter(resident=resident).exists():
        return
    seed_passes(organization, stay, resident.membership, operator)


def _local(organization: Organization, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=organization.tzinfo)


def _quiet_weekend(stay: Stay, today: date) -> date | None:
    """The latest first night, within the last two weeks, of two nights away whose middle day has no sign-out in the
    log (the resident was not in the house to sign out)."""
    tz = stay.organization.tzinfo
    busy = {
        moment.astimezone(tz).date()
        for moment in SignOut.objects.filter(stay=stay).values_list("signed_out_at", flat=True)
    }
    for ago in range(3, 15):
        leave_on = today - timedelta(days=ago)
        if leave_on >= stay.move_in and leave_on + timedelta(days=1) not in busy:
            return leave_on
    return None


def seed_passes(organization: Organization, stay: Stay, resident: Membership, operator: Membership) -> None:
    today = organization.today()
    leave_on = _quiet_weekend(stay, today)
    if leave_on is not None:
        taken = signout_services.pass_request(
            actor=operator, stay=stay, leave_on=leave_on, return_on=leave_on + timedelta(days=2),
            destination="Sister's apartment, Decatur", contact_phone="(555) 318-2290",
        )  # fmt: skip
        signout_services.pass_approve(actor=operator, pass_=taken, reason="Enjoy the visit; call if plans change.")
        # The return asks for a test due today (the house's policy), which the portal shows as due.
        signout_services.pass_return(
            actor=operator, pass_=taken, returned_at=_local(organization, leave_on + timedelta(days=2), 11, 20)
        )
        _backdate(taken, organization, requested=leave_on - timedelta(days=5), decided=leave_on - timedelta(days=4))
    denied_on = today - timedelta(days=33)
    if denied_on >= stay.move_in:
        denied = signout_services.pass_request(
            actor=operator, stay=stay, leave_on=denied_on, return_on=denied_on + timedelta(days=1),
            destination="Friend's cabin, Lake Springfield", contact_phone="(555) 402-7718",
        )  # fmt: skip
        signout_services.pass_deny(
            actor=operator, pass_=denied,
            reason="We could not reach the host at the number given. Ask again with a number we can call.",
        )  # fmt: skip
        _backdate(denied, organization, requested=denied_on - timedelta(days=4), decided=denied_on - timedelta(days=3))
    ahead = signout_services.pass_request(
        actor=resident, stay=stay, leave_on=today + timedelta(days=9), return_on=today + timedelta(days=11),
        destination="Mother's house, Peoria", contact_phone="(555) 201-3344",
    )  # fmt: skip
    signout_services.pass_approve(actor=operator, pass_=ahead, reason="Host confirmed by phone.")
    signout_services.pass_request(
        actor=resident, stay=stay, leave_on=today + timedelta(days=16), return_on=today + timedelta(days=17),
        destination="Brother's wedding, Bloomington", contact_phone="(555) 352-7741",
    )  # fmt: skip


def _backdate(pass_: OvernightPass, organization: Organization, *, requested: date, decided: date) -> None:
    """A pass recorded after the fact reads as asked for by the resident before it began, and decided then."""
    OvernightPass.objects.filter(pk=pass_.pk).update(
        requested_by=pass_.resident.membership.user,
        requested_at=_local(organization, requested, 19, 30),
        decided_at=_local(organization, decided, 10, 5),
    )
