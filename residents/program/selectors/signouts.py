"""Reads of the sign-out log and passes, and curfew violations computed from them.

Curfew rules (times in the organization's time zone):
- Night D is the evening of date D. Its curfew is the phase's weekend curfew on Friday and Saturday nights, its
  weeknight curfew on Sunday to Thursday nights; a curfew before noon is after midnight (00:30 on night D is
  D+1 00:30). The phase is the one in force on D.
- The curfew lasts until ``CURFEW_ENDS`` (06:00) the next morning. A resident violates it when a sign-out of theirs
  reaches past the deadline: signed in after it, still not signed in once it has passed, or signed out after it
  and before the morning.
- An approved overnight pass covering night D (leave_on <= D < return_on, not yet returned by the deadline)
  excuses the night.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Membership, Organization
from houses.models import House
from residents.models import OvernightPass, Phase, SignOut, Stay
from residents.program.models.phases import AFTER_MIDNIGHT_BEFORE, curfew_ends
from residents.program.selectors.phases import phase_on, phase_timelines


def sign_outs_for(*, viewer: Membership) -> QuerySet[SignOut]:
    """Sign-outs the viewer may see, with resident, house and who signed them out and in."""
    return SignOut.objects.visible_to(viewer).select_related("stay__resident", "house", "signed_out_by", "signed_in_by")


def passes_for(*, viewer: Membership) -> QuerySet[OvernightPass]:
    """Overnight passes the viewer may see, with resident, house and who asked, decided and recorded the return."""
    return OvernightPass.objects.visible_to(viewer).select_related(
        "resident", "house", "requested_by", "decided_by", "return_recorded_by"
    )


@dataclass(frozen=True)
class CurfewViolation:
    """One resident out past curfew on one night, and the sign-out that shows it."""

    LATE = "signed_in_late"
    NOT_BACK = "not_signed_in"
    LEFT_AFTER = "signed_out_after_curfew"

    stay: Stay
    night: date
    phase: Phase
    curfew: time
    deadline: datetime
    sign_out: SignOut
    now: datetime

    @property
    def kind(self) -> str:
        if self.sign_out.signed_out_at > self.deadline:
            return self.LEFT_AFTER
        return self.NOT_BACK if self.sign_out.signed_in_at is None else self.LATE

    @property
    def minutes_late(self) -> int:
        """Minutes from the curfew to the sign-in (to now while still out)."""
        back = self.sign_out.signed_in_at or self.now
        return max(0, int((back - self.deadline).total_seconds() // 60))


def _nights(first: date, last: date):
    night = first
    while night <= last:
        yield night
        night += timedelta(days=1)


def _excused(passes: list[OvernightPass], night: date, deadline: datetime) -> bool:
    return any(
        p.leave_on <= night < p.return_on and (p.returned_at is None or p.returned_at > deadline) for p in passes
    )


def sign_outs_past_curfew(*, organization: Organization, first_night: date, last_night: date) -> QuerySet[SignOut]:
    """The organization's sign-outs that reach into the curfew of a night from ``first_night`` to ``last_night``:
    out before that night's morning and not back by the earliest deadline any of its phases sets that night. Every
    sign-out that shows a curfew violation is among them (``find_curfew_violations`` judges each stay's own phase),
    so the nights nobody was out late cost nothing. One query when evaluated, plus one for the phases now."""
    tz = organization.tzinfo
    sign_outs = SignOut.objects.filter(organization=organization)
    phases = list(Phase.objects.filter(organization=organization))
    nights = list(_nights(first_night, last_night))
    if len(nights) > LONGEST_NIGHT_BY_NIGHT:
        # A long range: the coarse window, no deadline earlier than noon of the first night.
        earliest = datetime.combine(first_night, AFTER_MIDNIGHT_BEFORE, tzinfo=tz)
        return sign_outs.filter(signed_out_at__lt=curfew_ends(last_night, tz)).filter(
            Q(signed_in_at__isnull=True) | Q(signed_in_at__gt=earliest)
        )
    windows = Q()
    for night in nights:
        deadlines = [deadline for phase in phases if (deadline := phase.curfew_deadline(night, tz)) is not None]
        if deadlines:
            windows |= Q(signed_out_at__lt=curfew_ends(night, tz)) & (
                Q(signed_in_at__isnull=True) | Q(signed_in_at__gt=min(deadlines))
            )
    return sign_outs.filter(windows) if windows else sign_outs.none()


# Beyond this many nights, ``sign_outs_past_curfew`` reads one coarse window instead of one per night.
LONGEST_NIGHT_BY_NIGHT = 62


def find_curfew_violations(
    *, organization: Organization, stays: Iterable[Stay] | QuerySet[Stay], first_night: date, last_night: date,
    now: datetime | None = None, timelines: dict | None = None,
) -> list[CurfewViolation]:  # fmt: skip
    """Curfew violations of ``stays`` on the nights they lived in a house from ``first_night`` to ``last_night``.

    Only stays with a sign-out reaching into a curfew (``sign_outs_past_curfew``) are judged: given a queryset,
    only those are loaded, in its order. A fixed number of queries whatever the number of stays and nights (the
    phases; the sign-outs; those stays, for a queryset; their phase history, unless ``timelines`` from
    ``phase_timelines`` is given; their approved passes)."""
    if first_night > last_night:
        return []
    tz = organization.tzinfo
    now = now or timezone.now()
    relevant = sign_outs_past_curfew(organization=organization, first_night=first_night, last_night=last_night)
    if isinstance(stays, QuerySet):
        relevant = relevant.filter(stay_id__in=stays.order_by().values("pk"))
    else:
        stays = list(stays)
        if not stays:
            return []
        relevant = relevant.filter(stay_id__in=[stay.pk for stay in stays])
    sign_outs: dict[int, list[SignOut]] = defaultdict(list)
    for sign_out in relevant.order_by("signed_out_at", "pk"):
        sign_outs[sign_out.stay_id].append(sign_out)
    if not sign_outs:
        return []
    if isinstance(stays, QuerySet):
        stays = list(stays.filter(pk__in=list(sign_outs)))
    else:
        stays = [stay for stay in stays if stay.pk in sign_outs]
    ids = [stay.pk for stay in stays]
    if timelines is None:
        timelines = phase_timelines(ids)
    passes: dict[int, list[OvernightPass]] = defaultdict(list)
    approved = OvernightPass.objects.filter(stay_id__in=ids, status=OvernightPass.Status.APPROVED)
    for pass_ in approved.covering(first_night, last_night):
        passes[pass_.stay_id].append(pass_)

    violations = []
    for stay in stays:
        if not sign_outs[stay.pk]:
            continue
        last = last_night if stay.move_out is None else min(last_night, stay.move_out - timedelta(days=1))
        for night in _nights(max(first_night, stay.move_in), last):
            phase = phase_on(timelines.get(stay.pk, []), night)
            deadline = phase.curfew_deadline(night, tz) if phase else None
            if deadline is None or deadline >= now or _excused(passes[stay.pk], night, deadline):
                continue
            morning = curfew_ends(night, tz)
            out = [
                s for s in sign_outs[stay.pk]
                if s.signed_out_at < morning and (s.signed_in_at is None or s.signed_in_at > deadline)
            ]  # fmt: skip
            if out:
                # The sign-out that shows the most: still out, else the latest back.
                worst = max(out, key=lambda s: (s.signed_in_at is None, s.signed_in_at or now))
                violations.append(
                    CurfewViolation(
                        stay=stay,
                        night=night,
                        phase=phase,
                        curfew=phase.curfew_time(night),
                        deadline=deadline,
                        sign_out=worst,
                        now=now,
                    )
                )
    return violations


def curfew_violations(
    *, viewer: Membership, house: House, night: date, now: datetime | None = None
) -> list[CurfewViolation]:
    """A house's curfew violations on night ``night``, by resident name, for its daily list.

    Residents counted are those whose bed was in the house that night. Staff see everyone's; a resident only
    their own. Constant queries."""
    if not House.objects.visible_to(viewer).filter(pk=house.pk).exists():
        return []
    stays = (
        Stay.objects.filter(
            Q(bed_assignments__end__isnull=True) | Q(bed_assignments__end__gt=night),
            organization_id=viewer.organization_id,
            bed_assignments__bed__house=house,
            bed_assignments__start__lte=night,
        )
        .select_related("resident", "house")
        .distinct()
        .order_by("resident__legal_last_name", "resident__legal_first_name", "pk")
    )
    if viewer.is_resident:
        stays = stays.filter(resident__membership=viewer)
    return find_curfew_violations(
        organization=viewer.organization, stays=stays, first_night=night, last_night=night, now=now
    )
