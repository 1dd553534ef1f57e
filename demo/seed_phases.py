"""Demo program phases, phase histories, two weeks of sign-outs (with a few curfew violations) and overnight passes.

Dated relative to the organization's today (and the clock, for who is out right now), drawn from a seeded random
generator, and guarded by existence checks, so a second run changes nothing.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import Membership, Organization, Role
from residents.models import OvernightPass, Phase, SignOut, Stay
from residents.program.models.phases import CURFEW_ENDS
from residents.program.selectors.curfew import curfews_tonight, current_night
from residents.program.selectors.phases import phase_on, phase_timelines
from residents.program.services import phases as phase_services
from residents.program.services import signouts as signout_services

# order, name, description, meetings a week, tests a month, weeknight and weekend curfews, passes a month, min days

PHASES = [
    (1, "Stabilization", "The first month: structure, daily meetings, a sponsor, and staying close to the house.",
     5, 4, time(22, 0), time(23, 0), 0, 30),
    (2, "Accountability", "Working or in school, a home group, and trust earned a step at a time.",
     4, 2, time(23, 0), time(0, 30), 2, 60),
    (3, "Independence", "Getting ready to move on: savings, a plan, and helping newer residents.",
     3, 1, time(0, 30), time(1, 30), 4, 0),
]  # fmt: skip

DESTINATIONS = [
    "Work", "Work", "Work", "AA meeting", "NA meeting", "Grocery store", "Sponsor's house", "Outpatient group",
    "Job interview", "Church", "Gym", "Library", "Probation office", "Laundromat", "Doctor's appointment",
]  # fmt: skip
PASS_DESTINATIONS = [
    ("Mother's house", "(555) 201-3344"), ("Sister's apartment", "(555) 318-2290"),
    ("Family reunion", "(555) 407-1185"), ("Grandmother's house", "(555) 266-9012"),
    ("Brother's wedding", "(555) 352-7741"), ("Aunt's farm", "(555) 289-4410"),
    ("Cousin's apartment", "(555) 274-8830"),
]  # fmt: skip


def seed(organization: Organization, *, light: bool = False) -> None:
    """The full story for the first organization; ``light``: phases, histories and a little activity only."""
    rng = random.Random(f"hearth-phases-{organization.slug}")
    operator = Membership.objects.filter(organization=organization, role=Role.OPERATOR).order_by("pk").first()
    phases = seed_phases(organization)
    seed_phase_histories(organization, phases, operator, rng)
    if light:
        seed_sign_outs(organization, operator, rng, violations=0, days=5)
        seed_passes(organization, operator, rng, light=True)
        return
    excused = seed_passes(organization, operator, rng)
    seed_sign_outs(organization, operator, rng, violations=3, days=14, excused=excused)


def seed_phases(organization: Organization) -> list[Phase]:
    phases = []
    for order, name, description, meetings, tests, weeknight, weekend, passes, min_days in PHASES:
        phase, _ = Phase.objects.get_or_create(
            organization=organization, order=order,
            defaults={
                "name": name, "description": description, "meetings_per_week": meetings,
                "drug_tests_per_month": tests, "weeknight_curfew": weeknight, "weekend_curfew": weekend,
                "passes_per_month": passes, "min_days_before_promotion": min_days,
            },
        )  # fmt: skip
        phases.append(phase)
    return phases


def _open_stays(organization: Organization):
    return list(
        Stay.objects.filter(organization=organization, move_out__isnull=True)
        .select_related("resident", "house")
        .order_by("house__pk", "move_in", "pk")
    )


def seed_phase_histories(organization: Organization, phases: list[Phase], operator: Membership, rng) -> None:
    """Every current resident starts in Stabilization at move-in; those who have been there long enough were
    promoted (a few days after becoming eligible), and one was moved back down for curfew trouble."""
    today = organization.today()
    demoted = False
    for stay in _open_stays(organization):
        if stay.phase_changes.exists():
            continue
        phase_services.phase_set_initial(actor=operator, stay=stay)
        since = stay.move_in
        for phase in phases[:-1]:
            on = since + timedelta(days=phase.min_days_before_promotion + rng.randint(0, 12))
            if on > today:
                break
            phase_services.phase_promote(actor=operator, stay=stay, on=on, reason=_promotion_reason(phase, rng))
            since = on
        in_accountability = stay.phase_changes.order_by("-effective_on", "-pk").first().phase.order == 2
        if not demoted and in_accountability and since <= today - timedelta(days=20):
            demoted = True
            phase_services.phase_demote(
                actor=operator, stay=stay, on=today - timedelta(days=6),
                reason="Three late sign-ins in two weeks and a missed house meeting; back to Stabilization curfews.",
            )  # fmt: skip


def _promotion_reason(phase: Phase, rng) -> str:
    return rng.choice(
        [
            f"Completed {phase.name}: every meeting logged, all tests negative.",
            f"Met every {phase.name} requirement; house vote in favour.",
            f"Steady job, sponsor confirmed, ready to move past {phase.name}.",
        ]
    )


def _local(organization: Organization, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=organization.tzinfo)


def seed_passes(organization: Organization, operator: Membership, rng, *, light: bool = False) -> set:
    """Passes in every state: one returned, one approved beyond the allowance (returned), one coming up, one
    denied, one cancelled and two waiting for a decision. Returns the (stay id, night) pairs passes excuse."""
    if OvernightPass.objects.filter(organization=organization).exists():
        return set()
    today = organization.today()
    stays = _open_stays(organization)
    timelines = phase_timelines(stay.pk for stay in stays)
    current = {stay.pk: phase_on(timelines[stay.pk], today) for stay in stays}
    promoted = [s for s in stays if current[s.pk] and current[s.pk].order > 1 and (today - s.move_in).days > 20]
    newcomers = [s for s in stays if s not in promoted and (today - s.move_in).days > 10]
    rng.shuffle(promoted)
    promoted.sort(key=lambda stay: stay.resident.membership_id is None)  # the portal login first: passes of their own
    rng.shuffle(newcomers)
    places = list(PASS_DESTINATIONS)
    rng.shuffle(places)

    def ask(stay, leave_in_days, nights=2):
        place, phone = places.pop() if places else ("Family", "(555) 200-0000")
        leave_on = today + timedelta(days=leave_in_days)
        return signout_services.pass_request(
            actor=operator, stay=stay, leave_on=leave_on, return_on=leave_on + timedelta(days=nights),
            destination=place, contact_phone=phone,
        )  # fmt: skip

    excused = set()
    if light:
        if promoted:
            ask(promoted[0], 9)
        return excused
    plan = promoted[:5]
    if len(plan) < 5 or not newcomers:
        return excused
    returned = signout_services.pass_approve(actor=operator, pass_=ask(plan[0], -12), reason="Enjoy the weekend.")
    signout_services.pass_return(
        actor=operator, pass_=returned, returned_at=_local(organization, returned.return_on, time(10, 15))
    )
    overridden = signout_services.pass_approve(
        actor=operator, pass_=ask(newcomers[0], -6, nights=1), override=True,
        reason="Grandmother's funeral; the family will drive them both ways.",
    )  # fmt: skip
    signout_services.pass_return(
        actor=operator, pass_=overridden, returned_at=_local(organization, overridden.return_on, time(11, 40))
    )
    signout_services.pass_approve(actor=operator, pass_=ask(plan[1], 5), reason="Host confirmed by phone.")
    signout_services.pass_deny(
        actor=operator, pass_=ask(plan[2], 3),
        reason="Missed the house meeting and a chore this week; ask again next week.",
    )  # fmt: skip
    signout_services.pass_cancel(actor=operator, pass_=ask(plan[3], 10))
    ask(plan[4], 6)
    ask(plan[0], 12, nights=1)
    for pass_ in (returned, overridden):
        # Passes already taken were asked for and decided before they began, not on the day the demo is seeded.
        OvernightPass.objects.filter(pk=pass_.pk).update(
            requested_at=_local(organization, pass_.leave_on - timedelta(days=5), time(19, 30)),
            decided_at=_local(organization, pass_.leave_on - timedelta(days=4), time(10, 5)),
        )
        night = pass_.leave_on
        while night < pass_.return_on:
            excused.add((pass_.stay_id, night))
            night += timedelta(days=1)
    return excused


def seed_sign_outs(
    organization: Organization, operator: Membership, rng, *, violations: int, days: int, excused=frozenset()
) -> None:
    """Daytime sign-outs over the last ``days`` days, all back well before curfew, except ``violations`` late
    returns (the first last night); and one resident out right now."""
    if SignOut.objects.filter(organization=organization).exists():
        return
    today = organization.today()
    now = timezone.now()
    stays = _open_stays(organization)
    timelines = phase_timelines(stay.pk for stay in stays)
    late: dict[tuple[int, date], int] = {}
    candidates = [s for s in stays if (today - s.move_in).days > days]
    rng.shuffle(candidates)
    first_house = min((stay.house_id for stay in stays), default=None)
    for night, minutes in list(zip([1, 5, 10], [40, 75, 25], strict=True))[:violations]:
        day = today - timedelta(days=night)
        # Last night's late return goes to someone of the first house (not the portal demo resident) when it can, so
        # the manager's bed board shows the badge.
        ordered = sorted(candidates, key=lambda s: s.house_id != first_house or bool(s.resident.membership_id))
        for stay in ordered if night == 1 else candidates:
            phase = phase_on(timelines[stay.pk], day)
            deadline = phase.curfew_deadline(day, organization.tzinfo) if phase else None
            if deadline and deadline + timedelta(minutes=minutes) < now and (stay.pk, day) not in excused:
                late[(stay.pk, day)] = minutes
                candidates.remove(stay)
                break
    # Whoever is out now, pick the one whose curfew tonight is latest: out at 23:30 is late for some, not others.
    tonight = current_night(organization, now)

    def curfew_tonight(stay):
        phase = phase_on(timelines[stay.pk], tonight)
        deadline = phase.curfew_deadline(tonight, organization.tzinfo) if phase else None
        return deadline or now + timedelta(days=1)

    out_now = max(candidates, key=curfew_tonight) if candidates else None
    log = []
    for stay in stays:
        for ago in range(days, 0, -1):
            day = today - timedelta(days=ago)
            if day < stay.move_in or (stay.pk, day) in excused:
                continue
            if (stay.pk, day) in late:
                phase = phase_on(timelines[stay.pk], day)
                deadline = phase.curfew_deadline(day, organization.tzinfo)
                log.append(_log(stay, operator, rng, _local(organization, day, time(19, rng.choice([0, 15, 30]))),
                                deadline + timedelta(minutes=late[(stay.pk, day)])))  # fmt: skip
            elif rng.random() < 0.45:
                leave = _local(organization, day, time(rng.randint(8, 16), rng.choice([0, 15, 30, 45])))
                log.append(_log(stay, operator, rng, leave, leave + timedelta(minutes=rng.randint(45, 240))))
    SignOut.objects.bulk_create(log)
    if out_now is not None:
        left = after_last_curfew(organization, now - timedelta(minutes=50), now=now)
        curfew = curfews_tonight(organization=organization, stays=Stay.objects.filter(pk=out_now.pk), now=now)
        deadline = curfew[out_now.pk].deadline if out_now.pk in curfew else None
        if deadline is not None and left > deadline - timedelta(hours=1):
            left = deadline - timedelta(hours=2)  # out since before curfew: leaving after it is a violation of its own
        signout_services.signout_create(
            actor=operator, stay=out_now, destination="AA meeting", signed_out_at=left,
            expected_return_at=left + timedelta(hours=2),
        )  # fmt: skip


def after_last_curfew(organization: Organization, left: datetime, *, now: datetime) -> datetime:
    """A sign-out time for someone out now: in the morning, not before last night's curfew ended (leaving during it
    is a violation of its own)."""
    last_curfew_over = datetime.combine(current_night(organization, now), CURFEW_ENDS, tzinfo=organization.tzinfo)
    if last_curfew_over <= now:
        return min(max(left, last_curfew_over + timedelta(minutes=5)), now)
    return left


def _log(stay: Stay, operator: Membership, rng, leave: datetime, back: datetime) -> SignOut:
    """One closed entry of the past log. Written in bulk by the caller: the entries are generated in order, one at
    a time per resident, so they already keep the rules the sign-out services check."""
    return SignOut(
        organization_id=stay.organization_id, house=stay.house, stay=stay, destination=rng.choice(DESTINATIONS),
        signed_out_at=leave, expected_return_at=leave + timedelta(hours=rng.randint(2, 4)), signed_in_at=back,
        signed_out_by=operator.user, signed_in_by=operator.user,
    )  # fmt: skip
