"""Bed openings: finding the night a bed becomes free, and keeping the record true as plans change.

An opening is one bed's first free night (``BedOpening``, unique per bed and night). It is found when a stay leaves
a bed within the organization's ``opening_notice_days``: a discharge recorded (``move_out``), a planned move-out
(``expected_move_out``) or a move to another bed. The receivers (``vacancies.receivers``) record it at once when
staff act; the hourly scan (``openings_scan``) records those a date coming near brings into the window, and is the
safety net for the rest. A bed counts as free from a night as the vacancy selector counts it: nobody holds it that
night or later (a resident booked in ahead takes it), and it can take a stay from then (the houses app's rule).

A discharge or a move entered after its night (the morning after) still opens the bed, from tonight, when it is
entered at most ``LATE_DAYS`` late. When the same stay leaves the same bed on another night (a planned move-out moved
a day, a discharge a day off the plan) its opening moves to that night: the offers made and the partners told stay
with it. An opening is called off (``cancelled_at``) when its stay no longer leaves that bed, or when the bed is no
longer free from its night (or from tonight, once its night has passed): the resident stayed past a planned
move-out, the bed went out of service or was retired, the house closed. Each scan checks every open opening for
that, and so does each offer before it is made. An opening is filled (``filled_at``) when someone is admitted or
moved into the bed. Either way no more offers go out for it (``vacancies.services.offers``).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from accounts.models import Organization
from accounts.queue import enqueue_on_commit
from houses.models import Bed
from residents.models import BedAssignment, Stay

from ..models import BedOpening, WaitlistOffer

Cause = BedOpening.Cause

# A discharge or a move entered up to this many days after its night still opens the bed (from tonight); older
# history entered now announces nothing.
LATE_DAYS = 7
ENTERED_LATE = (Cause.DISCHARGE, Cause.TRANSFER)


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


def opening_night(organization: Organization, leaving: Leaving, today: date) -> date | None:
    """The night ``leaving``'s opening is recorded for: its own, within the notice window; tonight, for a discharge
    or a move entered after its night (at most ``LATE_DAYS`` late); None when it is announced on no night."""
    first, last = notice_window(organization, today)
    if first <= leaving.night <= last:
        return leaving.night
    if leaving.cause in ENTERED_LATE and today - timedelta(days=LATE_DAYS) <= leaving.night < today:
        return today
    return None


def stands_for(bed_id: int, opens_on: date, leaving: Leaving, today: date) -> bool:
    """Whether an opening of ``bed_id`` from ``opens_on`` is the one ``leaving`` causes: its night, or (a discharge
    or move entered late) any night from its own up to tonight."""
    if bed_id != leaving.bed_id:
        return False
    if opens_on == leaving.night:
        return True
    return leaving.cause in ENTERED_LATE and leaving.night < opens_on <= today


# A question about a bed: is ``bed`` free from ``night``, the stay ``leaver`` (or None) leaving it then?
Ask = tuple[int, date, int | None]


def beds_free(asks: set[Ask]) -> set[Ask]:
    """The asks whose bed is free from their night: no bed assignment holds it that night or later, except the
    leaver's own up to then, and the bed can take a stay from that night (``BedQuerySet.taking_stays_from``, the
    houses app's rule). Two queries however many beds and nights."""
    if not asks:
        return set()
    nights = sorted({night for _, night, _ in asks})
    beds = {bed_id for bed_id, _, _ in asks}
    takes = Bed.objects.filter(pk__in=beds).annotate(**{
        f"from_{index}": Exists(Bed.objects.filter(pk=OuterRef("pk")).taking_stays_from(night))
        for index, night in enumerate(nights)
    })  # fmt: skip
    taking = {
        (row["pk"], night)
        for row in takes.values("pk", *(f"from_{index}" for index in range(len(nights))))
        for index, night in enumerate(nights)
        if row[f"from_{index}"]
    }
    held = defaultdict(list)
    for bed_id, stay_id, start, end in (
        BedAssignment.objects.filter(bed_id__in=beds)
        .filter(Q(end__isnull=True) | Q(end__gt=nights[0]))
        .values_list("bed_id", "stay_id", "start", "end")
    ):
        held[bed_id].append((stay_id, start, end))

    def holds(ask: Ask) -> bool:
        bed_id, night, leaver = ask
        return any(
            (end is None or end > night) and not (stay_id == leaver and start <= night)
            for stay_id, start, end in held[bed_id]
        )

    return {ask for ask in asks if (ask[0], ask[1]) in taking and not holds(ask)}


def bed_free_from(bed: Bed, night: date, *, leaving_stay: Stay | None = None) -> bool:
    """Whether ``bed`` is an opening from ``night``: nobody else holds it that night or any later one (an admission
    dated ahead is a booking, not an opening) and it can take a stay from then."""
    ask = (bed.pk, night, leaving_stay.pk if leaving_stay is not None else None)
    return ask in beds_free({ask})


def _ask(bed_id: int, opens_on: date, stay_id: int | None, today: date) -> Ask:
    """What must hold for an opening to stay true: its bed free from its night, or from tonight once its night has
    passed. Until its night the stay behind it is leaving; after it, a stay still in the bed holds it like anyone."""
    if opens_on >= today:
        return (bed_id, opens_on, stay_id)
    return (bed_id, today, None)


def opening_available(opening: BedOpening, today: date) -> bool:
    """Whether an open opening's bed is still free from its night (from tonight, once that has passed)."""
    ask = _ask(opening.bed_id, opening.opens_on, opening.stay_id, today)
    return ask in beds_free({ask})


def openings_recheck(*, organization: Organization, on: date) -> int:
    """Calls off every open opening of the organization whose bed is no longer free (``opening_available``): the
    resident stayed past a planned move-out, the bed went out of service or was retired, the house closed. Three
    queries whatever their number when none is called off. Returns how many were called off."""
    rows = BedOpening.objects.filter(
        organization=organization, filled_at__isnull=True, cancelled_at__isnull=True
    ).values_list("pk", "bed_id", "opens_on", "stay_id")
    asks = {pk: _ask(bed_id, opens_on, stay_id, on) for pk, bed_id, opens_on, stay_id in rows}
    free = beds_free(set(asks.values()))
    taken = [pk for pk, ask in asks.items() if ask not in free]
    if not taken:
        return 0
    return BedOpening.objects.filter(pk__in=taken, filled_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now()
    )


def _queue_offer(opening: BedOpening) -> None:
    from .offers import offer_next_task  # the offers module imports this one

    enqueue_on_commit(offer_next_task, opening.pk)


PartnerDigestLink = BedOpening.digests.through


def _move(opening: BedOpening, night: date) -> BedOpening | None:
    """Moves an open opening to another night of its bed, keeping its offers and the digests that told of it. A
    called-off opening already on that night gives way (its partners' notice carries over); an open or filled one
    stands for the bed that night, so this one has nothing left to stand for (None)."""
    there = BedOpening.objects.select_for_update().filter(bed_id=opening.bed_id, opens_on=night).first()
    if there is not None:
        if there.cancelled_at is None:
            return None
        told = PartnerDigestLink.objects.filter(bedopening=there).exclude(
            partnerdigest__in=PartnerDigestLink.objects.filter(bedopening=opening).values("partnerdigest")
        )
        told.update(bedopening=opening)
        there.delete()
    opening.opens_on = night
    opening.save(update_fields=["opens_on"])
    return opening


def opening_record(*, stay: Stay, leaving: Leaving, today: date, moving: BedOpening | None = None) -> BedOpening | None:
    """Records the opening of ``leaving`` if it is announced on some night (``opening_night``) and the bed is free
    from then: moves ``moving`` (an open opening of the same stay and bed) there, or records it (reopening one
    called off that is true again) and offers it to the waitlist once committed. Returns the opening, or None when
    there is none to record."""
    night = opening_night(stay.organization, leaving, today)
    if night is None:
        return None
    bed = Bed.objects.select_related("house").get(pk=leaving.bed_id)
    if night != leaving.night:
        # Entered late: an opening already announced since its night stands for it.
        earlier = BedOpening.objects.filter(
            bed=bed, opens_on__range=(leaving.night, today), filled_at__isnull=True, cancelled_at__isnull=True
        ).first()
        if earlier is not None:
            return earlier
    if not bed_free_from(bed, night, leaving_stay=stay):
        return None
    if moving is not None:
        return _move(moving, night)
    # Unique per bed and night: a receiver and the scan finding it at once record it once.
    opening, created = BedOpening.objects.get_or_create(
        bed=bed,
        opens_on=night,
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
    """Brings the openings ``stay`` causes in line with where it is leaving now: records those announced now, moves
    one whose night changed (same stay, same bed) and calls off those it no longer causes (from tonight on).
    Idempotent. Returns the openings it causes now."""
    stay = Stay.objects.select_related("organization").get(pk=stay.pk)
    today = today or stay.organization.today()
    wanted = sorted(leavings(stay, list(BedAssignment.objects.filter(stay=stay))), key=_order)
    mine = list(
        BedOpening.objects.select_for_update()
        .filter(stay=stay, opens_on__gte=today, filled_at__isnull=True, cancelled_at__isnull=True)
        .order_by("opens_on", "pk")
    )
    stale = [o for o in mine if not any(stands_for(o.bed_id, o.opens_on, w, today) for w in wanted)]
    recorded = []
    for leaving in wanted:
        kept = [o for o in mine if o not in stale and stands_for(o.bed_id, o.opens_on, leaving, today)]
        moving = next((o for o in stale if o.bed_id == leaving.bed_id), None) if not kept else None
        opening = opening_record(stay=stay, leaving=leaving, today=today, moving=moving)
        if moving is not None and opening is moving:
            stale.remove(moving)
        recorded.append(opening)
    if stale:
        BedOpening.objects.filter(pk__in=[o.pk for o in stale]).update(cancelled_at=timezone.now())
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
    """The hourly scan of one organization on its day ``on``: calls off the open openings whose bed is no longer
    free (``openings_recheck``), then syncs every stay leaving a bed within the notice window, and every stay behind
    an opening still ahead, when its openings differ from what it causes now and a bed it would open is free. A
    fixed number of queries when nothing changed. Returns how many stays it synced."""
    openings_recheck(organization=organization, on=on)
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
    current = defaultdict(list)
    for stay_id, bed_id, opens_on in BedOpening.objects.filter(
        stay__in=stays, opens_on__gte=first, filled_at__isnull=True, cancelled_at__isnull=True
    ).values_list("stay_id", "bed_id", "opens_on"):
        current[stay_id].append((bed_id, opens_on))
    recorded = set(
        BedOpening.objects.filter(
            bed_id__in={a.bed_id for stay in stays for a in stay.bed_assignments.all()},
            opens_on__range=(first, last),
            cancelled_at__isnull=True,
        ).values_list("bed_id", "opens_on")
    )
    stale, wanted = set(), {}
    for stay in stays:
        leaves = leavings(stay, list(stay.bed_assignments.all()))
        if any(not any(stands_for(bed_id, night, w, on) for w in leaves) for bed_id, night in current[stay.pk]):
            stale.add(stay)
            continue
        asks = {
            (w.bed_id, w.night, stay.pk)
            for w in leaves
            if first <= w.night <= last and (w.bed_id, w.night) not in recorded
        }
        if asks:
            wanted[stay] = asks
    # A leaving whose bed is not free (out of service, booked) has nothing to record: asked in bulk, not synced.
    free = beds_free(set().union(*wanted.values()))
    due = stale | {stay for stay, asks in wanted.items() if asks & free}
    # A stay that only opens beds within the window (nothing to move or call off, no leaving entered late) is what
    # the sync would do with ``opening_record`` for each free one: recorded for all such stays at once.
    simple = sorted(
        (stay for stay in due if stay not in stale and _only_ahead(organization, stay, on, first, last)),
        key=lambda s: s.pk,
    )
    recordable = [(stay, ask) for stay in simple for ask in sorted(wanted[stay] & free, key=lambda a: (a[1], a[0]))]
    if recordable:
        _openings_record(recordable)
    for stay in sorted(due.difference(simple), key=lambda s: s.pk):
        stay_openings_sync(stay=stay, today=on)
    return len(due)


def _only_ahead(organization: Organization, stay: Stay, on: date, first: date, last: date) -> bool:
    """Whether every leaving of the stay is announced on its own night within the window, or on none."""
    return all(
        first <= leaving.night <= last or opening_night(organization, leaving, on) is None
        for leaving in leavings(stay, list(stay.bed_assignments.all()))
    )


@transaction.atomic
def _openings_record(asks: list[tuple[Stay, Ask]]) -> None:
    """Records the openings of free asks (each a stay leaving a bed on a night within the window) as
    ``opening_record`` would, in a fixed number of queries: a new one is inserted, one called off (not filled) is
    reopened for this stay, an open or filled one stays as it is; each inserted or reopened one is offered to the
    waitlist once committed. The first ask of a bed and night wins, as the stays' syncs in id order would."""
    causes = {}
    for stay, (bed_id, night, _stay_id) in asks:
        causes.setdefault((bed_id, night), (stay, _cause(stay, bed_id, night)))
    beds = Bed.objects.select_related("house").in_bulk({bed_id for bed_id, _night in causes})
    nights = {night for _bed_id, night in causes}
    existing = {
        (opening.bed_id, opening.opens_on): opening
        for opening in BedOpening.objects.select_for_update().filter(
            bed_id__in=list(beds), opens_on__range=(min(nights), max(nights))
        )
        if (opening.bed_id, opening.opens_on) in causes
    }
    stamp = timezone.now()  # tells the rows this call inserted from any a receiver inserted at the same moment
    new, reopened = [], []
    for (bed_id, night), (stay, cause) in causes.items():
        there = existing.get((bed_id, night))
        if there is None:
            house = beds[bed_id].house
            new.append(
                BedOpening(organization_id=house.organization_id, house=house, bed_id=bed_id, opens_on=night,
                           cause=cause, stay=stay, found_at=stamp)
            )  # fmt: skip
        elif there.cancelled_at is not None and there.filled_at is None:
            there.cancelled_at, there.cause, there.stay = None, cause, stay
            reopened.append(there)
    offered = {(opening.bed_id, opening.opens_on): opening.pk for opening in reopened}
    if reopened:
        BedOpening.objects.bulk_update(reopened, ["cancelled_at", "cause", "stay"])
    if new:
        BedOpening.objects.bulk_create(new, ignore_conflicts=True)
        for pk, bed_id, night in BedOpening.objects.filter(
            bed_id__in=[opening.bed_id for opening in new], opens_on__in={opening.opens_on for opening in new},
            found_at=stamp,
        ).values_list("pk", "bed_id", "opens_on"):  # fmt: skip
            offered[(bed_id, night)] = pk
    # Offered in the order the stays' syncs would have: two openings of a house go to its waitlist in that order.
    for key in causes:
        if key in offered:
            _queue_offer(BedOpening(pk=offered[key]))


def _cause(stay: Stay, bed_id: int, night: date) -> str:
    """Why ``stay`` leaves the bed that night (the first of its leavings there, in the sync's order)."""
    found = sorted(
        (w for w in leavings(stay, list(stay.bed_assignments.all())) if (w.bed_id, w.night) == (bed_id, night)),
        key=_order,
    )
    return found[0].cause


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
