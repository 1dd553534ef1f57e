"""Occupancy figures for a month, per house, each computed by one grouped aggregate query.

Definitions (a night D belongs to the month when first <= D < next_first):

- ``in_service_beds``: beds in service on the month's last night (not covered by an outage).
- ``available_bed_nights``: for every bed of the house, the nights of the month from the house's opening date on,
  less the nights an outage covers. Out-of-service beds are not available.
- ``occupied_bed_nights``: nights of the month a resident slept in one of the house's beds (bed assignments:
  start <= D < end).
- ``occupancy_pct``: occupied / available bed-nights * 100, one decimal; 0 when nothing was available.
- ``average_daily_census``: occupied bed-nights / days in the month, two decimals.
- ``admissions``: stays whose move-in falls in the month.
- ``discharges_by_reason``: stays whose move-out falls in the month, counted by discharge reason.
- ``average_length_of_stay``: mean days from move-in to move-out of the stays discharged in the month, one decimal
  (None when nobody left).
- ``census_at_month_end``: residents sleeping in the house on the month's last night.
- ``waitlist``: applications waiting (waitlisted or accepted, not admitted) at the end of the month that name the
  house as their preference; the organization total also counts those with no preference.
"""

from collections import defaultdict
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DateField, F, Func, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least

from houses.models import Bed, BedOutage
from residents.models import Application, ApplicationEvent, BedAssignment, Stay

from .period import Month

FIGURES = (
    "in_service_beds", "available_bed_nights", "occupied_bed_nights", "occupancy_pct", "average_daily_census",
    "admissions", "discharges_by_reason", "average_length_of_stay", "census_at_month_end", "waitlist",
)  # fmt: skip


class DaysBetween(Func):
    """Whole days from ``start`` to ``end`` (two dates) as an integer, on PostgreSQL and SQLite alike."""

    output_field = IntegerField()

    def __init__(self, end, start):
        super().__init__(end, start)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def _nights(start_field, end_field, month: Month):
    """Nights of ``[start, end)`` that fall in the month."""
    first, next_first = Value(month.first, DateField()), Value(month.next_first, DateField())
    return DaysBetween(Least(Coalesce(F(end_field), next_first), next_first), Greatest(F(start_field), first))


def _days(days) -> int:
    return int(days or 0)


def _pct(part, whole) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _bed_night_queries(scope, month: Month):
    """Three grouped queries per house: bed-nights offered, nights lost to outages, nights occupied."""
    first, next_first, last = month.first, month.next_first, month.last
    # Bed-nights each bed could offer: from the later of the month's start and the house's opening.
    open_from = Greatest(Coalesce(F("house__opened_on"), Value(first, DateField())), Value(first, DateField()))
    offered = (
        Bed.objects.filter(house_id__in=scope)
        .filter(Q(house__opened_on__isnull=True) | Q(house__opened_on__lt=next_first))
        .values("house_id")
        .annotate(
            beds=Count("pk"),
            nights=Sum(DaysBetween(Value(next_first, DateField()), open_from)),
        )
    )
    outages = (
        BedOutage.objects.filter(bed__house_id__in=scope)
        .overlapping(first, next_first)
        .values("bed__house_id")
        .annotate(
            nights=Sum(_nights("start", "end", month)),
            out_on_last_night=Count("pk", filter=Q(start__lte=last) & (Q(end__isnull=True) | Q(end__gt=last))),
        )
    )
    occupied = (
        BedAssignment.objects.filter(bed__house_id__in=scope, start__lt=next_first)
        .filter(Q(end__isnull=True) | Q(end__gt=first))
        .values("bed__house_id")
        .annotate(
            nights=Sum(_nights("start", "end", month)),
            census=Count("pk", filter=Q(start__lte=last) & (Q(end__isnull=True) | Q(end__gt=last))),
        )
    )
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
        result[house_id]["occupied"] = _days(nights)
    return result


def by_house(*, houses, month: Month, organization=None) -> dict[int, dict]:
    """The occupancy figures of each house in ``houses`` (a House queryset) for ``month``: {house_id: figures}."""
    house_ids = list(houses.values_list("pk", flat=True))
    if not house_ids:
        return {}
    # A subquery, not a list of ids: thousands of bound parameters cost more than the aggregates themselves.
    scope = houses.order_by().values("pk")
    first, next_first = month.first, month.next_first
    result = {pk: {"discharges_by_reason": {}} for pk in house_ids}

    offered, outages, occupied = _bed_night_queries(scope, month)
    moved_in = Q(move_in__gte=first, move_in__lt=next_first)
    moved_out = Q(move_out__gte=first, move_out__lt=next_first)
    comings_and_goings = (
        Stay.objects.filter(house_id__in=scope)
        .filter(moved_in | moved_out)
        .values("house_id", "discharge_reason")
        .annotate(
            admissions=Count("pk", filter=moved_in),
            discharges=Count("pk", filter=moved_out),
            days=Sum(DaysBetween(F("move_out"), F("move_in")), filter=moved_out),
        )
    )
    waiting = _waitlist(scope=scope, at=next_first)

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
        figures = result[row["house_id"]]
        figures["admissions"] = figures.get("admissions", 0) + row["admissions"]
        if row["discharges"]:
            figures["discharges_by_reason"][row["discharge_reason"]] = row["discharges"]
            discharged_days[row["house_id"]] += _days(row["days"])
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
        "average_daily_census": (Decimal(occupied) / month.days).quantize(Decimal("0.01"), ROUND_HALF_UP),
        "admissions": raw.get("admissions", 0),
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


def _waitlist(*, scope, at) -> dict:
    """Applications waiting at ``at`` (by their last status change before it) that name one of the houses."""
    rows = (
        _waiting_at(Application.objects.filter(preferred_house_id__in=scope), at=at)
        .values("preferred_house_id")
        .annotate(count=Count("pk"))
    )
    return {row["preferred_house_id"]: row["count"] for row in rows}


def _waitlist_without_house(*, organization, at) -> int:
    rows = _waiting_at(Application.objects.filter(organization=organization, preferred_house__isnull=True), at=at)
    return rows.count()


def _waiting_at(applications, *, at):
    status_then = Subquery(
        ApplicationEvent.objects.filter(application=OuterRef("pk"), at__date__lt=at)
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
        raw["waitlist"] = raw.get("waitlist", 0) + figures["waitlist"]
        discharged_days += figures["_discharged_days"]
        for reason, count in figures["discharges_by_reason"].items():
            raw["discharges_by_reason"][reason] += count
    if organization is not None:
        raw["waitlist"] = raw.get("waitlist", 0) + _waitlist_without_house(
            organization=organization, at=month.next_first
        )
    raw["discharges_by_reason"] = dict(raw["discharges_by_reason"])
    return finish(raw, month=month, discharged_days=discharged_days)


def public(figures: dict) -> dict:
    """The figures without the raw parts kept for totals."""
    return {key: value for key, value in figures.items() if not key.startswith("_")}


def daily(*, houses, month: Month) -> dict[int, dict[str, list[int]]]:
    """Night by night through the month, per house: ``census`` (residents sleeping there) and ``in_service`` (beds
    not covered by an outage, from the house's opening). Three queries, whatever the number of houses."""
    first, next_first = month.first, month.next_first
    nights = [first + timedelta(days=offset) for offset in range(month.days)]
    rows = list(houses.values("pk", "opened_on"))
    beds = dict(
        Bed.objects.filter(house__in=houses).values("house_id").annotate(n=Count("pk")).values_list("house_id", "n")
    )
    result = {
        row["pk"]: {
            "census": [0] * month.days,
            "in_service": [
                beds.get(row["pk"], 0) if row["opened_on"] is None or night >= row["opened_on"] else 0
                for night in nights
            ],
        }
        for row in rows
    }

    def spread(start, end, house_id, key, step):
        lo = max(start, first)
        hi = min(end or next_first, next_first)
        for offset in range((lo - first).days, (hi - first).days):
            result[house_id][key][offset] += step

    assignments = (
        BedAssignment.objects.filter(bed__house__in=houses, start__lt=next_first)
        .filter(Q(end__isnull=True) | Q(end__gt=first))
        .values_list("start", "end", "bed__house_id")
    )
    for start, end, house_id in assignments:
        spread(start, end, house_id, "census", 1)
    for start, end, house_id in (
        BedOutage.objects.filter(bed__house__in=houses)
        .overlapping(first, next_first)
        .values_list("start", "end", "bed__house_id")
    ):
        spread(start, end, house_id, "in_service", -1)
    return result
