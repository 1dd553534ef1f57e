"""Test data for phases, sign-outs and passes: plain helpers the test modules call from their own fixtures."""

from datetime import date, datetime, time

from houses.models import Bed
from residents.models import BedAssignment, OvernightPass, Phase, SignOut
from residents.program.services import phases as phase_services
from residents.program.services import signouts as signout_services
from tests.factories import admit


def make_phases(organization) -> list[Phase]:
    """Three phases: 22:00/23:00 curfews and no passes, then 23:00/00:30 and two passes, then 00:30/01:30 and four."""
    specs = [
        (1, "Stabilization", 5, 4, time(22, 0), time(23, 0), 0, 30),
        (2, "Accountability", 4, 2, time(23, 0), time(0, 30), 2, 60),
        (3, "Independence", 3, 1, time(0, 30), time(1, 30), 4, 0),
    ]
    return [
        Phase.objects.create(
            organization=organization,
            order=order,
            name=name,
            meetings_per_week=meetings,
            drug_tests_per_month=tests,
            weeknight_curfew=weeknight,
            weekend_curfew=weekend,
            passes_per_month=passes,
            min_days_before_promotion=min_days,
        )
        for order, name, meetings, tests, weeknight, weekend, passes, min_days in specs
    ]


def free_bed(house) -> Bed:
    taken = BedAssignment.objects.filter(end__isnull=True).values("bed")
    return Bed.objects.filter(house=house).exclude(pk__in=taken).order_by("pk").first()


def local(organization, day: date, hour: int, minute: int = 0) -> datetime:
    """An aware moment at a local wall-clock time of the organization."""
    return datetime.combine(day, time(hour, minute), tzinfo=organization.tzinfo)


def log_out(stay, *, actor, out_at: datetime, back_at: datetime | None = None, destination="Work") -> SignOut:
    """A sign-out (and its sign-in, when ``back_at`` is given) recorded by staff, as from the paper log."""
    sign_out = signout_services.signout_create(
        actor=actor, stay=stay, destination=destination, expected_return_at=out_at.replace(hour=23, minute=59),
        signed_out_at=out_at,
    )  # fmt: skip
    if back_at is not None:
        sign_out = signout_services.signout_sign_in(actor=actor, stay=stay, signed_in_at=back_at)
    return sign_out


def approved_pass(stay, *, actor, leave_on: date, return_on: date, override=False, reason="") -> OvernightPass:
    pass_ = signout_services.pass_request(
        actor=actor, stay=stay, leave_on=leave_on, return_on=return_on, destination="Mom's house",
        contact_phone="(555) 010-2000",
    )  # fmt: skip
    return signout_services.pass_approve(actor=actor, pass_=pass_, override=override, reason=reason)


def build_world(*, organization, other_organization, house, other_house, foreign_house, operator, manager,
                resident_member, outsider) -> dict:  # fmt: skip
    """One of everything, in ``house`` (run by ``manager``, home of ``resident_member``), in ``other_house`` (same
    organization, not run by ``manager``) and in ``foreign_house`` (another organization)."""
    from datetime import timedelta

    from django.utils import timezone

    phases = make_phases(organization)
    alumni = Phase.objects.create(organization=organization, order=4, name="Alumni")
    make_phases(other_organization)
    today = organization.today()
    own_stay = resident_member.resident.stays.get()
    own_change = phase_services.phase_set_initial(actor=operator, stay=own_stay)
    peer_stay = admit(house, actor=operator, on=date(2026, 1, 5))
    phase_services.phase_promote(actor=operator, stay=peer_stay, on=date(2026, 2, 4))
    unphased_stay = admit(house, actor=operator, on=date(2026, 1, 5), phase=False)
    other_stay = admit(other_house, actor=operator, on=date(2026, 1, 5))
    foreign_stay = admit(foreign_house, actor=outsider, on=date(2026, 1, 5))
    march = date(2026, 3, 3)
    own_sign_out = log_out(
        own_stay, actor=operator, out_at=local(organization, march, 18), back_at=local(organization, march, 23)
    )
    other_sign_out = log_out(
        other_stay, actor=operator, out_at=local(organization, march, 18), back_at=local(organization, march, 21)
    )
    log_out(peer_stay, actor=operator, out_at=timezone.now() - timedelta(hours=1))
    log_out(foreign_stay, actor=outsider, out_at=local(other_organization, march, 18))
    request = signout_services.pass_request
    own_pass = request(actor=operator, stay=own_stay, leave_on=today + timedelta(days=7),
                       return_on=today + timedelta(days=8), destination="Mom's", contact_phone="555")  # fmt: skip
    other_pass = request(actor=operator, stay=other_stay, leave_on=today + timedelta(days=7),
                         return_on=today + timedelta(days=8), destination="Dad's", contact_phone="555")  # fmt: skip
    request(actor=outsider, stay=foreign_stay, leave_on=today + timedelta(days=7),
            return_on=today + timedelta(days=8), destination="Home", contact_phone="555")  # fmt: skip
    peer_pass = approved_pass(peer_stay, actor=operator, leave_on=today - timedelta(days=1),
                              return_on=today + timedelta(days=1))  # fmt: skip
    return {
        "phase": phases[0], "alumni": alumni, "own_stay": own_stay, "own_change": own_change,
        "other_change": other_stay.phase_changes.get(), "peer_stay": peer_stay, "unphased_stay": unphased_stay,
        "other_stay": other_stay, "foreign_stay": foreign_stay, "own_sign_out": own_sign_out,
        "other_sign_out": other_sign_out, "own_pass": own_pass, "other_pass": other_pass, "peer_pass": peer_pass,
        "house": house, "other_house": other_house, "foreign_house": foreign_house,
    }  # fmt: skip
