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

from collections import defaultdict
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DateField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least

from accounts.dbfunctions import DaysBetween
from houses.selectors import bed_nights_offered, bed_nights_out, in_service_spans
from residents.core.selectors import nights as who_slept_where
from residents.models import Application, ApplicationEvent, Stay

from .period import Month

FIGURES = (
    "in_service_beds", "available_bed_nights", "occupied_bed_nights", "occupancy_pct", "average_daily_census",
    "admissions", "transfers_in", "transfers_out", "discharges_by_reason", "average_length_of_stay",
    "census_at_month_end", "waitlist",
)  # fmt: skip


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


def by_house(*, houses, month: Month, organization=None) -> dict[int, dict]:
    """The occupancy figures of each house in ``houses`` (a House queryset) for ``month``: {house_id: figures}."""
    house_ids = list(houses.values_list("pk", flat=True))
    if not house_ids:
        return {}
    # A subquery, not a list of ids: thousands of bound parameters cost more than the aggregates themselves.
    scope = houses.order_by().values("pk")
    first, next_first = month.first, month.end
    result = {pk: {"discharges_by_reason": {}} for pk in house_ids}

    offered, outages, occupied = _bed_night_queries(scope, month)
    moved_in = Q(move_in__gte=first, move_in__lt=next_first)
    moved_out = Q(move_out__gte=first, move_out__lt=next_first)
    # Admitted at one house, discharged from the house of the last night: one grouped query gives both.
    comings_and_goings = (
        Stay.objects.annotate(left_from_id=who_slept_where.last_night_house())
        .filter((moved_in & Q(admitted_to_id__in=scope)) | (moved_out & Q(left_from_id__in=scope)))
        .values("admitted_to_id", "left_from_id", "discharge_reason")
        .annotate(
            admissions=Count("pk", filter=moved_in),
            discharges=Count("pk", filter=moved_out),
            days=Sum(DaysBetween(F("move_out"), F("move_in")), filter=moved_out),
        )
        .order_by()
    )
    moves = who_slept_where.moves_between_houses(houses=scope, first=first, end=next_first)
    tzinfo = (organization or houses.select_related("organization").first().organization).tzinfo
    waiting = _waitlist(scope=scope, at=next_first, tzinfo=tzinfo)

    for row in offered:
        figures = result[row["house_id"]]
        figures["beds"] = row["beds"]
        figures["offered_nights"] = _days(row["nights"])
    for row in outages:
        figures = result[row["bed__house_id"]]
        figures["outage_nights"] = _days(row["nights"])
        figures["out_on_last_night"] = row["out_on_last_night"]
    for row in occupied:
        figures = result[row["bed__house_id"]]
        figures["occupied_bed_nights"] = _days(row["nights"])
        figures["census_at_month_end"] = row["census"]
    discharged_days = defaultdict(int)
    for row in comings_and_goings:
        if row["admissions"] and row["admitted_to_id"] in result:
            figures = result[row["admitted_to_id"]]
            figures["admissions"] = figures.get("admissions", 0) + row["admissions"]
        if row["discharges"] and row["left_from_id"] in result:
            by_reason = result[row["left_from_id"]]["discharges_by_reason"]
            by_reason[row["discharge_reason"]] = by_reason.get(row["discharge_reason"], 0) + row["discharges"]
            discharged_days[row["left_from_id"]] += _days(row["days"])
    for from_house, to_house in moves:
        if from_house in result:
            result[from_house]["transfers_out"] = result[from_house].get("transfers_out", 0) + 1
        if to_house in result:
            result[to_house]["transfers_in"] = result[to_house].get("transfers_in", 0) + 1
    for house_id, count in waiting.items():
        if house_id in result:
            result[house_id]["waitlist"] = count

    for house_id, figures in result.items():
        result[house_id] = finish(figures, month=month, discharged_days=discharged_days[house_id])
    return result


def finish(raw: dict, *, month: Month, discharged_days: int) -> dict:
    """Turns summed counts into the published figures (used per house and for totals, so they agree)."""
    available = raw.get("offered_nights", 0) - raw.get("outage_nights", 0)
    occupied = raw.get("occupied_bed_nights", 0)
    discharged = sum(raw["discharges_by_reason"].values())
    return {
        "in_service_beds": raw.get("beds", 0) - raw.get("out_on_last_night", 0),
        "available_bed_nights": available,
        "occupied_bed_nights": occupied,
        "occupancy_pct": _pct(occupied, available),
        "average_daily_census": (Decimal(occupied) / month.nights).quantize(Decimal("0.01"), ROUND_HALF_UP),
        "admissions": raw.get("admissions", 0),
        "transfers_in": raw.get("transfers_in", 0),
        "transfers_out": raw.get("transfers_out", 0),
        "discharges_by_reason": dict(sorted(raw["discharges_by_reason"].items())),
        "discharges": discharged,
        "average_length_of_stay": (
            (Decimal(discharged_days) / discharged).quantize(Decimal("0.1"), ROUND_HALF_UP) if discharged else None
        ),
        "census_at_month_end": raw.get("census_at_month_end", 0),
        "waitlist": raw.get("waitlist", 0),
        # Kept for totals: the raw parts the ratios are made of.
        "_beds": raw.get("beds", 0),
        "_offered_nights": raw.get("offered_nights", 0),
        "_outage_nights": raw.get("outage_nights", 0),
        "_out_on_last_night": raw.get("out_on_last_night", 0),
        "_discharged_days": discharged_days,
    }


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


def total(per_house: dict[int, dict], *, month: Month, organization=None) -> dict:
    """Organization totals: sums of the per-house parts, with the ratios recomputed from those sums. The waitlist total
    adds the applications that name no house."""
    raw = {"discharges_by_reason": defaultdict(int)}
    discharged_days = 0
    for figures in per_house.values():
        raw["beds"] = raw.get("beds", 0) + figures["_beds"]
        raw["offered_nights"] = raw.get("offered_nights", 0) + figures["_offered_nights"]
        raw["outage_nights"] = raw.get("outage_nights", 0) + figures["_outage_nights"]
        raw["out_on_last_night"] = raw.get("out_on_last_night", 0) + figures["_out_on_last_night"]
        raw["occupied_bed_nights"] = raw.get("occupied_bed_nights", 0) + figures["occupied_bed_nights"]
        raw["census_at_month_end"] = raw.get("census_at_month_end", 0) + figures["census_at_month_end"]
        raw["admissions"] = raw.get("admissions", 0) + figures["admissions"]
        raw["transfers_in"] = raw.get("transfers_in", 0) + figures["transfers_in"]
        raw["transfers_out"] = raw.get("transfers_out", 0) + figures["transfers_out"]
        raw["waitlist"] = raw.get("waitlist", 0) + figures["waitlist"]
        discharged_days += figures["_discharged_days"]
        for reason, count in figures["discharges_by_reason"].items():
            raw["discharges_by_reason"][reason] += count
    if organization is not None:
        raw["waitlist"] = raw.get("waitlist", 0) + _waitlist_without_house(organization=organization, at=month.end)
    raw["discharges_by_reason"] = dict(raw["discharges_by_reason"])
    return finish(raw, month=month, discharged_days=discharged_days)


def public(figures: dict) -> dict:
    """The figures without the raw parts kept for totals."""
    return {key: value for key, value in figures.items() if not key.startswith("_")}


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
