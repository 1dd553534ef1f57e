"""Which beds are free: the one answer the public pages, the feeds, the partners' pages and the bed-opening notices
read. Three queries whatever the number of houses."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from houses.models import Bed, BedOutage, House
from residents.models import BedAssignment

HORIZON_DAYS = 14


@dataclass
class Vacancy:
    """A house's beds tonight and the next ``HORIZON_DAYS`` nights. Counts only: never who sleeps where."""

    house_id: int
    in_service: int = 0  # beds offered tonight
    open_now: int = 0  # in service tonight, nobody in them and nobody booked into them
    openings: dict[date, int] = field(default_factory=dict)  # night -> beds that become free that night
    updated: datetime | None = None

    @property
    def opening_soon(self) -> int:
        return sum(self.openings.values())

    @property
    def opening_dates(self) -> list[tuple[date, int]]:
        return sorted(self.openings.items())


def _house_ids(houses) -> list[int]:
    return [house.pk if isinstance(house, House) else house for house in houses]


def vacancies(houses, *, today: date, horizon_days: int = HORIZON_DAYS) -> dict[int, Vacancy]:
    """Each house's vacancy on night ``today`` (the organization's date) and the beds expected to open after it, up
    to ``horizon_days`` nights ahead: a resident's recorded or planned move-out (``Stay.move_out`` /
    ``Stay.expected_move_out``), a move to another bed, a bed entering service or coming back from an outage. A
    bed someone is booked into (an admission dated ahead) is neither open nor opening."""
    ids = _house_ids(houses)
    horizon = today + timedelta(days=horizon_days)
    now = timezone.now()
    result = {house_id: Vacancy(house_id=house_id, updated=now) for house_id in ids}
    beds = list(
        Bed.objects.filter(house_id__in=ids, retired_on__isnull=True)
        .filter(in_service_from__lte=horizon)
        .with_service_on(today)
        .values("pk", "house_id", "in_service_from", "in_service_tonight")
    )
    if not beds:
        return result
    bed_ids = [bed["pk"] for bed in beds]
    # Every stay in a bed tonight or later, with its resident's planned move-out.
    assignments = defaultdict(list)
    rows = (
        BedAssignment.objects.filter(bed_id__in=bed_ids)
        .filter(Q(end__isnull=True) | Q(end__gt=today))
        .values("bed_id", "start", "end", "stay__move_out", "stay__expected_move_out")
        .order_by("start")
    )
    for row in rows:
        assignments[row["bed_id"]].append(row)
    # Outages from tonight on: when an out-of-service bed comes back, and whether a free night is offered at all.
    outages = defaultdict(list)
    for outage in (
        BedOutage.objects.filter(bed_id__in=bed_ids)
        .overlapping(today, horizon + timedelta(days=1))
        .values("bed_id", "start", "end")
    ):
        outages[outage["bed_id"]].append(outage)

    def out_on(bed_id: int, night: date) -> bool:
        return any(o["start"] <= night and (o["end"] is None or o["end"] > night) for o in outages[bed_id])

    def booked_on(bed_id: int, night: date, leaving: dict | None = None) -> bool:
        return any(
            a["start"] <= night and (a["end"] is None or a["end"] > night)
            for a in assignments[bed_id]
            if a is not leaving
        )

    for bed in beds:
        vacancy = result[bed["house_id"]]
        bed_id = bed["pk"]
        if bed["in_service_tonight"]:
            vacancy.in_service += 1
        if bed["in_service_tonight"] and not booked_on(bed_id, today):
            if not any(a["start"] > today for a in assignments[bed_id]):
                vacancy.open_now += 1
            continue
        night, leaving = _frees_on(bed, assignments[bed_id], outages[bed_id], today=today)
        if night is None or not today < night <= horizon or booked_on(bed_id, night, leaving) or out_on(bed_id, night):
            continue
        if any(a["start"] > night for a in assignments[bed_id]):
            continue  # someone is booked in after it frees: not offered
        vacancy.openings[night] = vacancy.openings.get(night, 0) + 1
    return result


def _frees_on(
    bed: dict, assignments: list[dict], outages: list[dict], *, today: date
) -> tuple[date | None, dict | None]:
    """The first night after ``today`` the bed stops being taken tonight, and the stay leaving it then: its
    occupant's end (recorded, or planned for an open stay), or the end of the outage or the start of service that
    keeps it out tonight."""
    tonight = [a for a in assignments if a["start"] <= today]
    if tonight:
        current = tonight[-1]
        end = current["end"] or current["stay__move_out"] or current["stay__expected_move_out"]
        return (end if end and end > today else None), current
    if bed["in_service_from"] > today:
        return bed["in_service_from"], None
    covering = [o for o in outages if o["start"] <= today]
    if covering:
        return covering[0]["end"], None
    return None, None
