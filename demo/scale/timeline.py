"""Who slept in which bed, day by day, for two years: admissions into free beds, discharges with reasons, and
transfers of a resident to a free bed of a nearby house (the stay keeps going; its bed assignment changes).

Beds of a few neighbouring houses are simulated together, event by event, so a transfer always lands in a bed that is
free from that night on. Nothing happens today or later: today's admissions and discharges are for the people using
the product.
"""

import heapq
from dataclasses import dataclass, field
from datetime import date, timedelta

TRANSFER_SHARE = 0.08  # of stays that end in a house, the share that move on to another house instead


@dataclass
class Assignment:
    bed: int  # index into the group's beds
    house: int  # index of the house in the organization
    start: date
    end: date | None = None


@dataclass
class StayPlan:
    house: int  # admitted to
    move_in: date
    move_out: date | None = None
    reason: str = ""
    assignments: list[Assignment] = field(default_factory=list)

    def house_on(self, day: date) -> int:
        """The house of the bed slept in on night ``day`` (the last one for a day past the stay)."""
        for assignment in self.assignments:
            if assignment.start <= day and (assignment.end is None or day < assignment.end):
                return assignment.house
        return self.assignments[-1].house if day >= self.move_in else self.assignments[0].house


def _length(rng) -> int:
    roll = rng.random()
    if roll < 0.25:
        return rng.randint(7, 45)
    if roll < 0.70:
        return rng.randint(45, 150)
    return rng.randint(150, 365)


def _reason(rng, nights: int) -> str:
    if nights > 120 and rng.random() < 0.7:
        return "completed"
    return rng.choices(
        ["voluntary", "relapse", "rule_violation", "non_payment", "other", "completed"], [30, 30, 15, 10, 5, 10]
    )[0]


def simulate(*, beds: list[int], start: date, today: date, rng) -> list[StayPlan]:
    """Stays for a group of beds (``beds[i]`` is the house index of bed i) from ``start`` to yesterday."""
    yesterday = today - timedelta(days=1)
    occupant: list[StayPlan | None] = [None] * len(beds)
    version = [0] * len(beds)
    events = []  # (day, order, kind, bed, version)
    order = 0
    for bed in range(len(beds)):
        order += 1
        heapq.heappush(events, (start + timedelta(days=rng.randint(0, 45)), order, "admit", bed, 0))
    stays = []
    while events:
        day, _order, kind, bed, seen = heapq.heappop(events)
        if day > yesterday or seen != version[bed]:
            continue
        if kind == "admit":
            stay = StayPlan(house=beds[bed], move_in=day, assignments=[Assignment(bed, beds[bed], day)])
            stays.append(stay)
            occupant[bed] = stay
            version[bed] += 1
            order += 1
            heapq.heappush(events, (day + timedelta(days=_length(rng)), order, "end", bed, version[bed]))
            continue
        stay = occupant[bed]
        occupant[bed] = None
        version[bed] += 1
        stay.assignments[-1].end = day
        free = [other for other in range(len(beds)) if occupant[other] is None and beds[other] != beds[bed]]
        if free and rng.random() < TRANSFER_SHARE:
            target = rng.choice(free)
            stay.assignments.append(Assignment(target, beds[target], day))
            occupant[target] = stay
            version[target] += 1
            order += 1
            heapq.heappush(events, (day + timedelta(days=rng.randint(20, 150)), order, "end", target, version[target]))
        else:
            stay.move_out = day
            stay.reason = _reason(rng, (day - stay.move_in).days)
        order += 1
        gap = rng.choice([1, 2, 3, 4, 5, 7, 7, 10, 14, 21])
        heapq.heappush(events, (day + timedelta(days=gap), order, "admit", bed, version[bed]))
    return stays
