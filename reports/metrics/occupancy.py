"""Occupancy figures for a month, per house, each computed by one grouped aggregate query.

Definitions (a night D belongs to the month when first <= D < end: ``end`` is the next month's first, or the night
after ``through`` for a month still running, which is reported "to date, through last night"):

- ``in_service_beds``: beds in service on the month's last night counted: put in service by then and not retired,
  in a house open that night, and not covered by an outage.
- ``available_bed_nights``: for every bed of the house, the nights of the month it was offered (from the later of
  its ``in_service_from`` and the house's ``opened_on``, until the earlier of its ``retired_on`` and the house's
  ``closed_on``), less the nights an outage covers. A bed added, retired or a house closed today changes no past
  month.
- ``occupied_bed_nights``: nights of the month a resident slept in one of the house's beds (bed assignments:
  start <= D < end).
- ``occupancy_pct``: occupied / available bed-nights * 100, one decimal; 0 when nothing was available.
- ``average_daily_census``: occupied bed-nights / nights counted in the month, two decimals.
- ``admissions``: stays whose move-in falls in the month, counted at the house they were admitted into
  (``Stay.admitted_to``). A move from another house is a transfer, never an admission, so the organization's
  admissions count each person who came in from outside once.
- ``transfers_in`` / ``transfers_out``: moves between two houses of the organization whose first night in the new
  bed falls in the month, counted in at the new house and out at the old one. In the organization's totals every
  move between its own houses is one in and one out: they cancel, and add nothing to admissions or discharges.
- ``discharges_by_reason``: stays whose move-out falls in the month, counted by discharge reason at the house of the
  stay's last night (the bed of its last assignment), wherever it was admitted.
- ``average_length_of_stay``: mean days from move-in to move-out of the stays discharged in the month (the whole
  stay, across every house it used), one decimal (None when nobody left).
- ``census_at_month_end``: residents sleeping in the house on the month's last night counted.
- ``waitlist``: applications waiting (waitlisted or accepted, not admitted) at the end of the month that name the
  house as their preference; the organization total also counts those with no preference.
"""

from dataclasses import dataclass, field, fields
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DateField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least

from accounts.dbfunctions import DaysBetween
from houses.selectors import bed_nights_offered, bed_nights_out, in_service_spans
from residents.core.selectors import nights as who_slept_where
from residents.models import Application, ApplicationEvent, Stay

from .period import Month


def _nights(start_field, end_field, month: Month):
    """Nights of ``[start, end)`` that fall in the month."""
    first, next_first = Value(month.first, DateField()), Value(month.end, DateField())
    return DaysBetween(Least(Coalesce(F(end_field), next_first), next_first), Greatest(F(start_field), first))


def _days(days) -> int:
    return int(days or 0)


def _pct(part, whole) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _bed_night_queries(scope, month: Month):
    """Three grouped queries per house: bed-nights offered, nights lost to outages, nights occupied."""
    # A month to date stops at last night: nights still to come are neither offered nor occupied.
    first, next_first = month.first, month.end
    # Offered and lost bed-nights come from the houses app's one in-service rule (the beds' and houses' dates,
    # the outage history), the same rule the bed board and capacity counts use.
    offered = bed_nights_offered(houses=scope, first=first, end=next_first)
    outages = bed_nights_out(houses=scope, first=first, end=next_first)
    occupied = who_slept_where.bed_nights_by_house(houses=scope, first=first, end=next_first)
    return offered, outages, occupied


def bed_nights(*, houses, month: Month) -> dict[int, dict[str, int]]:
    """Available and occupied bed-nights of each house (the core of occupancy), in three queries."""
    offered, outages, occupied = _bed_night_queries(houses.order_by().values("pk"), month)
    # Tuples, not dicts: at thousands of houses the row conversion is a good part of the cost.
    result = {
        house_id: {"available": _days(n), "occupied": 0} for house_id, n in offered.values_list("house_id", "nights")
    }
    for house_id, nights in outages.values_list("bed__house_id", "nights"):
        result[house_id]["available"] -= _days(nights)
    for house_id, nights in occupied.values_list("bed__house_id", "nights"):
        result.setdefault(house_id, {"available": 0, "occupied": 0})["occupied"] = _days(nights)
    return result


@dataclass
class Parts:
    """The summed counts the published figures are made of, kept so totals add parts, not ratios."""

    beds: int = 0
    offered_nights: int = 0
    outage_nights: int = 0
    out_on_last_night: int = 0
    occupied_bed_nights: int = 0
    census_at_month_end: int = 0
    admissions: int = 0
    transfers_in: int = 0
    transfers_out: int = 0
    waitlist: int = 0
    discharged_days: int = 0
    discharges_by_reason: dict[str, int] = field(default_factory=dict)

    def add(self, other: "Parts") -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for reason, count in other.discharges_by_reason.items():
            self.discharges_by_reason[reason] = self.discharges_by_reason.get(reason, 0) + count


COUNTS = [f.name for f in fields(Parts) if f.name != "discharges_by_reason"]


@dataclass(frozen=True)
class OccupancyFigures:
    """One house's (or the organization's) occupancy for a month, as defined in the module docstring. ``public``
    gives the published figures, in this order; ``parts`` stays behind for totals."""

    in_service_beds: int
    available_bed_nights: int
    occupied_bed_nights: int
    occupancy_pct: Decimal
    average_daily_census: Decimal
    admissions: int
    transfers_in: int
    transfers_out: int
    discharges_by_reason: dict[str, int]
    discharges: int
    average_length_of_stay: Decimal | None
    census_at_month_end: int
    waitlist: int
    parts: Parts = field(repr=False, compare=False, metadata={"published": False})


def by_house(*, houses, month: Month, organization=None) -> dict[int, OccupancyFigures]:
    """The occupancy figures of each house in ``houses`` (a House queryset) for ``month``: {house_id: figures}."""
    house_ids = list(houses.values_list("pk", flat=True))
    if not house_ids:
        return {}
    # A subquery, not a list of ids: thousands of bound parameters cost more than the aggregates themselves.
    scope = houses.order_by().values("pk")
    first, next_first = month.first, month.end
    result = {pk: Parts() for pk in house_ids}

    offered, outages, occupied = _bed_night_queries(scope, month)
    moved_in = Q(move_in__gte=first, move_in__lt=next_first)
    moved_out = Q(move_out__gte=first, move_out__lt=next_first)
    # Admitted at one house, discharged from the house of the last night. Two grouped queries: one query with
    # "admitted here OR left from here" makes the database find the last night's house of every stay it scans.
    admissions = (
        Stay.objects.filter(moved_in, admitted_to_id__in=scope)
        .values("admitted_to_id")
        .annotate(admissions=Count("pk"))
        .order_by()
    )
    discharges = (
        Stay.objects.filter(moved_out)
        .annotate(left_from_id=who_slept_where.last_night_house())
        .filter(left_from_id__in=scope)
        .values("left_from_id", "discharge_reason")
        .annotate(discharges=Count("pk"), days=Sum(DaysBetween(F("move_out"), F("move_in"))))
        .order_by()
    )
    moves = who_slept_where.moves_between_houses(houses=scope, first=first, end=next_first)
    tzinfo = (organization or houses.select_related("organization").first().organization).tzinfo
    waiting = _waitlist(scope=scope, at=next_first, tzinfo=tzinfo)

    for row in offered:
        parts = result[row["house_id"]]
        parts.beds = row["beds"]
        parts.offered_nights = _days(row["nights"])
    for row in outages:
        parts = result[row["bed__house_id"]]
        parts.outage_nights = _days(row["nights"])
        parts.out_on_last_night = row["out_on_last_night"]
    for row in occupied:
        parts = result[row["bed__house_id"]]
        parts.occupied_bed_nights = _days(row["nights"])
        parts.census_at_month_end = row["census"]
    for row in admissions:
        result[row["admitted_to_id"]].admissions += row["admissions"]
    for row in discharges:
        parts = result[row["left_from_id"]]
        by_reason = parts.discharges_by_reason
        by_reason[row["discharge_reason"]] = by_reason.get(row["discharge_reason"], 0) + row["discharges"]
        parts.discharged_days += _days(row["days"])
    for from_house, to_house in moves:
        if from_house in result:
            result[from_house].transfers_out += 1
        if to_house in result:
            result[to_house].transfers_in += 1
    for house_id, count in waiting.items():
        if house_id in result:
            result[house_id].waitlist = count

    return {house_id: finish(parts, month=month) for house_id, parts in result.items()}


def finish(parts: Parts, *, month: Month) -> OccupancyFigures:
    """Turns summed counts into the published figures (used per house and for totals, so they agree)."""
    available = parts.offered_nights - parts.outage_nights
    occupied = parts.occupied_bed_nights
    discharged = sum(parts.discharges_by_reason.values())
    return OccupancyFigures(
        in_service_beds=parts.beds - parts.out_on_last_night,
        available_bed_nights=available,
        occupied_bed_nights=occupied,
        occupancy_pct=_pct(occupied, available),
        average_daily_census=(Decimal(occupied) / month.nights).quantize(Decimal("0.01"), ROUND_HALF_UP),
        admissions=parts.admissions,
        transfers_in=parts.transfers_in,
        transfers_out=parts.transfers_out,
        discharges_by_reason=dict(sorted(parts.discharges_by_reason.items())),
        discharges=discharged,
        average_length_of_stay=(
            (Decimal(parts.discharged_days) / discharged).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if discharged
            else None
        ),
        census_at_month_end=parts.census_at_month_end,
        waitlist=parts.waitlist,
        parts=parts,
    )


def _waitlist(*, scope, at, tzinfo) -> dict:
    """Applications waiting at ``at`` (by their last status change before it) that name one of the houses."""
    rows = (
        _waiting_at(Application.objects.filter(preferred_house_id__in=scope), at=at, tzinfo=tzinfo)
        .values("preferred_house_id")
        .annotate(count=Count("pk"))
    )
    return {row["preferred_house_id"]: row["count"] for row in rows}


def _waitlist_without_house(*, organization, at) -> int:
    applications = Application.objects.filter(organization=organization, preferred_house__isnull=True)
    return _waiting_at(applications, at=at, tzinfo=organization.tzinfo).count()


def _waiting_at(applications, *, at, tzinfo):
    # Midnight starting ``at`` on the organization's clock, whatever clock the request or job runs on.
    before = datetime.combine(at, time.min, tzinfo=tzinfo)
    status_then = Subquery(
        ApplicationEvent.objects.filter(application=OuterRef("pk"), at__lt=before)
        .order_by("-at", "-pk")
        .values("to_status")[:1]
    )
    return applications.annotate(status_then=status_then).filter(status_then__in=Application.WAITING)


def total(per_house: dict[int, OccupancyFigures], *, month: Month, organization=None) -> OccupancyFigures:
    """Organization totals: sums of the per-house parts, with the ratios recomputed from those sums. The waitlist total
    adds the applications that name no house."""
    parts = Parts()
    for figures in per_house.values():
        parts.add(figures.parts)
    if organization is not None:
        parts.waitlist += _waitlist_without_house(organization=organization, at=month.end)
    return finish(parts, month=month)


def public(figures: OccupancyFigures) -> dict:
    """The published figures, as the API and the PDF show them (without the parts kept for totals)."""
    return {
        f.name: dict(value) if isinstance(value := getattr(figures, f.name), dict) else value
        for f in fields(figures)
        if f.metadata.get("published", True)
    }


def daily(*, houses, month: Month) -> dict[int, dict[str, list[int]]]:
    """Night by night through the month, per house: ``census`` (residents sleeping there) and ``in_service`` (beds
    in service that night, by the one rule of ``houses.selectors``: the beds' and houses' dates and the outages).
    Three queries, whatever the number of houses. In a month to date, the nights still to come are zero."""
    first, next_first = month.first, month.end
    house_ids = houses.values_list("pk", flat=True)
    result = {pk: {"census": [0] * month.days, "in_service": [0] * month.days} for pk in house_ids}

    def spread(start, end, house_id, key, step):
        lo = max(start, first)
        hi = min(end or next_first, next_first)
        for offset in range((lo - first).days, (hi - first).days):
            result[house_id][key][offset] += step

    assignments = who_slept_where.stretches(houses=houses.order_by().values("pk"), first=first, end=next_first)
    for start, end, house_id in assignments:
        spread(start, end, house_id, "census", 1)
    spans = in_service_spans(houses=houses.order_by().values("pk"), first=first, end=next_first)
    for house_id, start, end, step in spans:
        spread(start, end, house_id, "in_service", step)
    return result
