"""Bed openings: finding the night a bed becomes free, and keeping the record true as plans change.

An opening is one bed's first free night (``BedOpening``, unique per bed and night). It is found when a stay leaves
a bed within the organization's ``opening_notice_days``: a discharge recorded (``move_out``), a planned move-out
(``expected_move_out``) or a move to another bed. The receivers (``vacancies.receivers``) record it at once when
staff act; the hourly scan (``openings_scan``) records those a date coming near brings into the window, and is the
safety net for the rest. A bed counts as free from a night as the vacancy selector counts it: nobody holds it that
night or later (a resident booked in ahead takes it), and it can take a stay from then (the houses app's rule).

An opening is called off (``cancelled_at``) when its stay no longer leaves that bed that night (a planned move-out
cleared or moved), and filled (``filled_at``) when someone is admitted or moved into the bed; either way no more
offers go out for it (``vacancies.services.offers``).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from accounts.models import Organization
from accounts.queue import enqueue_on_commit
from houses.models import Bed
from residents.models import BedAssignment, Stay

from ..models import BedOpening, WaitlistOffer

Cause = BedOpening.Cause


@dataclass(frozen=True)
class Leaving:
    """A stay leaving a bed: the first night it is not in it, and why."""

    bed_id: int
    night: date
    cause: str


def notice_window(organization: Organization, today: date) -> tuple[date, date]:
    """The nights an opening is announced for: tonight up to ``opening_notice_days`` ahead."""
    return today, today + timedelta(days=organization.opening_notice_days)


def leavings(stay: Stay, assignments: list[BedAssignment]) -> set[Leaving]:
    """Every bed ``stay`` leaves and the night it does: each bed it moved out of, and its last bed at its recorded
    or planned move-out. ``assignments`` are the stay's bed assignments."""
    found = set()
    last = max(assignments, key=lambda a: (a.start, a.pk), default=None)
    for assignment in assignments:
        if assignment is not last and assignment.end is not None and assignment.end != stay.move_out:
            found.add(Leaving(assignment.bed_id, assignment.end, Cause.TRANSFER))
    if last is not None:
        if stay.move_out is not None:
            found.add(Leaving(last.bed_id, stay.move_out, Cause.DISCHARGE))
        elif stay.expected_move_out is not None and last.end is None:
            found.add(Leaving(last.bed_id, stay.expected_move_out, Cause.PLANNED))
    return found


def bed_free_from(bed: Bed, night: date, *, leaving_stay: Stay | None = None) -> bool:
    """Whether ``bed`` is an opening from ``night``: nobody else holds it that night or any later one (an admission
    dated ahead is a booking, not an opening) and it can take a stay from then."""
    held = BedAssignment.objects.filter(bed=bed).filter(Q(end__isnull=True) | Q(end__gt=night))
    if leaving_stay is not None:
        held = held.exclude(stay=leaving_stay, start__lte=night)  # the leaver's own bed until then
    return not held.exists() and bed.takes_stays_from(night)


def _queue_offer(opening: BedOpening) -> None:
    from .offers import offer_next_task  # the offers module imports this one

    enqueue_on_commit(offer_next_task, opening.pk)


def opening_record(*, stay: Stay, leaving: Leaving, today: date) -> BedOpening | None:
    """Records (or reopens, when it was called off and is true again) the opening of ``leaving`` if it falls in the
    notice window and the bed is free from then; offers it to the waitlist once committed. Returns the opening, or
    None when there is none to record."""
    first, last = notice_window(stay.organization, today)
    if not first <= leaving.night <= last:
        return None
    bed = Bed.objects.select_related("house").get(pk=leaving.bed_id)
    if not bed_free_from(bed, leaving.night, leaving_stay=stay):
        return None
    # Unique per bed and night: a receiver and the scan finding it at once record it once.
    opening, created = BedOpening.objects.get_or_create(
        bed=bed,
        opens_on=leaving.night,
        defaults={"organization_id": bed.house.organization_id, "house": bed.house, "cause": leaving.cause,
                  "stay": stay},
    )  # fmt: skip
    if not created and opening.cancelled_at is not None and opening.filled_at is None:
        opening.cancelled_at = None
        opening.cause, opening.stay = leaving.cause, stay
        opening.save(update_fields=["cancelled_at", "cause", "stay"])
        created = True
    if created:
        _queue_offer(opening)
    return opening


@transaction.atomic
def stay_openings_sync(*, stay: Stay, today: date | None = None) -> list[BedOpening]:
    """Brings the openings ``stay`` causes in line with where it is leaving now: calls off those it no longer causes
    (from tonight on) and records those in the notice window. Idempotent. Returns the openings it causes now."""
    stay = Stay.objects.select_related("organization").get(pk=stay.pk)
    today = today or stay.organization.today()
    wanted = leavings(stay, list(BedAssignment.objects.filter(stay=stay)))
    stale = [
        opening.pk
        for opening in BedOpening.objects.filter(
            stay=stay, opens_on__gte=today, filled_at__isnull=True, cancelled_at__isnull=True
        )
        if not any(opening.bed_id == w.bed_id and opening.opens_on == w.night for w in wanted)
    ]
    if stale:
        BedOpening.objects.filter(pk__in=stale).update(cancelled_at=timezone.now())
    recorded = [opening_record(stay=stay, leaving=leaving, today=today) for leaving in sorted(wanted, key=_order)]
    return [opening for opening in recorded if opening is not None]


def _order(leaving: Leaving):
    return (leaving.night, leaving.bed_id)


def openings_fill(*, bed_id: int, on: date) -> int:
    """Someone was admitted or moved into the bed from night ``on``: its open openings up to then are filled, so no
    more offers go out for them. Returns how many."""
    return BedOpening.objects.filter(
        bed_id=bed_id, opens_on__lte=on, filled_at__isnull=True, cancelled_at__isnull=True
    ).update(filled_at=timezone.now())


def openings_scan(*, organization: Organization, on: date) -> int:
    """The hourly scan of one organization on its day ``on``: every stay leaving a bed within the notice window, and
    every stay behind an opening still ahead, is synced when its openings differ from what it causes now. A fixed
    number of queries when nothing changed. Returns how many stays it synced."""
    first, last = notice_window(organization, on)
    stays = (
        Stay.objects.filter(organization=organization)
        .filter(
            Q(move_out__isnull=True, expected_move_out__range=(first, last))
            | Q(move_out__range=(first, last))
            | Q(bed_assignments__end__range=(first, last))
            | Q(
                pk__in=BedOpening.objects.filter(
                    organization=organization, opens_on__gte=first, filled_at__isnull=True, cancelled_at__isnull=True
                ).values("stay_id")
            )
        )
        .distinct()
        .prefetch_related("bed_assignments")
    )
    stays = list(stays)
    if not stays:
        return 0
    current = {
        (opening.stay_id, opening.bed_id, opening.opens_on)
        for opening in BedOpening.objects.filter(
            stay__in=stays, opens_on__gte=first, filled_at__isnull=True, cancelled_at__isnull=True
        )
    }
    recorded = set(
        BedOpening.objects.filter(
            bed_id__in={a.bed_id for stay in stays for a in stay.bed_assignments.all()},
            opens_on__range=(first, last),
            cancelled_at__isnull=True,
        ).values_list("bed_id", "opens_on")
    )
    synced = 0
    for stay in stays:
        wanted = {
            (stay.pk, w.bed_id, w.night)
            for w in leavings(stay, list(stay.bed_assignments.all()))
            if first <= w.night <= last and (w.bed_id, w.night) not in recorded
        }
        mine = {row for row in current if row[0] == stay.pk}
        kept = {(stay.pk, w.bed_id, w.night) for w in leavings(stay, list(stay.bed_assignments.all()))}
        if wanted or mine - kept:
            stay_openings_sync(stay=stay, today=on)
            synced += 1
    return synced


def openings_board(*, viewer):
    """The open openings the viewer may see (a manager: their houses'), by house and night, with each offer made and
    its applicant: two queries whatever their number."""
    offers = WaitlistOffer.objects.select_related("application").order_by("sent_at", "pk")
    return (
        BedOpening.objects.visible_to(viewer)
        .filter(filled_at__isnull=True, cancelled_at__isnull=True)
        .select_related("house", "bed__room")
        .prefetch_related(Prefetch("offers", queryset=offers))
        .order_by("house__name", "house_id", "opens_on", "bed__label", "pk")
    )
