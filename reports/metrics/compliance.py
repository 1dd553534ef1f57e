"""Compliance figures for a month, per house: drug tests, chores, house meetings, signatures, incidents and outside
recovery meetings. Each is one grouped query for all houses. Times are read on the organization's calendar.

Definitions (the month is first <= day < end, in the organization's time zone; ``end`` is the next month's first, or
the day after ``through`` for a month still running, reported "to date, through last night"):

- ``tests_requested``: test requests due in the month (cancelled ones left out).
- ``tests_done``: of those, the ones fulfilled by a test collected by the month's end (one collected later is
  overdue, and changes no closed month); ``test_compliance_pct`` = done / requested * 100.
- ``tests_by_result``: tests collected in the month, counted by result (negative, positive, dilute, ...).
- ``tests_collected``: all tests collected in the month; ``positive_rate_pct`` = positive / collected * 100.
- ``positive_substances``: substances found positive in the month's tests, with counts.
- ``overdue_requests``: requests due in the month still open at its end (no test collected by then).
- ``chores``: chore assignments due in the month by status (assigned = all of them; done, missed, excused, pending).
- ``house_meetings_held`` against ``weeks_in_month`` (the Mondays among the month's days counted: one meeting a week
  is expected).
- ``unsigned_rules``: residents in the house on the month's last night counted who had not signed the rule set
  current then.
- ``incidents_by_severity`` and ``incidents_by_action``: incidents that occurred in the month.
- ``recovery_meetings``: outside recovery meetings attended in the month, per resident (name and count), and total;
  totals over several houses count the people (``recovery_meetings_people``) instead of naming them.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.db import connection
from django.db.models import Count, Q

from houses.models import Bed
from residents.core.selectors import nights as who_slept_where
from residents.house_rules.models import RuleAcknowledgement, RuleSet
from residents.models import (
    BedAssignment,
    ChoreAssignment,
    DrugTest,
    DrugTestSubstance,
    HouseMeeting,
    Incident,
    RecoveryMeetingAttendance,
    TestRequest,
)

from .period import Month

COUNTED = (
    "tests_requested", "tests_done", "tests_collected", "overdue_requests", "house_meetings_held", "unsigned_rules",
    "recovery_meetings_total",
)  # fmt: skip
GROUPED = (
    "tests_by_result", "positive_substances", "chores", "incidents_by_severity", "incidents_by_action",
)  # fmt: skip


def _pct(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _bounds(organization, month: Month):
    tz = organization.tzinfo
    return datetime.combine(month.first, time.min, tzinfo=tz), datetime.combine(month.end, time.min, tzinfo=tz)


def _blank():
    return {**dict.fromkeys(COUNTED, 0), **{name: {} for name in GROUPED}, "recovery_meetings": []}


def by_house(*, houses, month: Month, organization) -> dict[int, dict]:
    """The compliance figures of each house in ``houses`` for ``month``: {house_id: figures}."""
    house_ids = list(houses.values_list("pk", flat=True))
    result = {pk: _blank() for pk in house_ids}
    if not house_ids:
        return result
    scope = houses.order_by().values("pk")
    start, end = _bounds(organization, month)
    # A month to date ends at last night: nothing dated today or later is counted yet.
    first, next_first = month.first, month.end
    last = next_first - timedelta(days=1)

    requests = (
        TestRequest.objects.filter(house_id__in=scope, due_on__gte=first, due_on__lt=next_first)
        .exclude(status=TestRequest.Status.CANCELLED)
        .values("house_id")
        .annotate(
            requested=Count("pk"),
            done=Count("pk", filter=Q(status=TestRequest.Status.FULFILLED, fulfilled_by__collected_at__lt=end)),
            # Still open at the month's end: open now, or fulfilled by a test collected only after it.
            overdue=Count(
                "pk",
                filter=Q(status=TestRequest.Status.OPEN)
                | Q(status=TestRequest.Status.FULFILLED, fulfilled_by__collected_at__gte=end),
            ),
        )
    )
    for row in requests:
        figures = result[row["house_id"]]
        figures.update(tests_requested=row["requested"], tests_done=row["done"], overdue_requests=row["overdue"])

    tests = DrugTest.objects.filter(house_id__in=scope, collected_at__gte=start, collected_at__lt=end)
    for row in tests.values("house_id", "result").annotate(n=Count("pk")).order_by():
        figures = result[row["house_id"]]
        figures["tests_by_result"][row["result"]] = row["n"]
        figures["tests_collected"] += row["n"]
    positives = DrugTestSubstance.objects.filter(test__in=tests, positive=True)
    for row in positives.values("test__house_id", "substance").annotate(n=Count("pk")).order_by():
        result[row["test__house_id"]]["positive_substances"][row["substance"]] = row["n"]

    chores = ChoreAssignment.objects.filter(house_id__in=scope, due_date__gte=first, due_date__lt=next_first)
    for row in chores.values("house_id", "status").annotate(n=Count("pk")).order_by():
        result[row["house_id"]]["chores"][row["status"]] = row["n"]

    meetings = HouseMeeting.objects.filter(house_id__in=scope, held_at__gte=start, held_at__lt=end)
    for row in meetings.values("house_id").annotate(n=Count("pk")).order_by():
        result[row["house_id"]]["house_meetings_held"] = row["n"]

    for house_id, count in _unsigned_at(scope=scope, night=last, end=end).items():
        result[house_id]["unsigned_rules"] = count

    incidents = Incident.objects.filter(house_id__in=scope, occurred_at__gte=start, occurred_at__lt=end)
    for row in incidents.values("house_id", "severity", "action").annotate(n=Count("pk")).order_by():
        figures = result[row["house_id"]]
        figures["incidents_by_severity"][row["severity"]] = (
            figures["incidents_by_severity"].get(row["severity"], 0) + row["n"]
        )
        figures["incidents_by_action"][row["action"]] = figures["incidents_by_action"].get(row["action"], 0) + row["n"]

    attendance = (
        # At the house the resident slept in that night: a stay's current house is wherever a transfer took it.
        RecoveryMeetingAttendance.objects.annotate(
            night_house_id=who_slept_where.house_on_night(stay="stay_id", night="attended_on")
        )
        .filter(night_house_id__in=scope, attended_on__gte=first, attended_on__lt=next_first)
        .values(
            "night_house_id", "resident_id", "resident__legal_first_name", "resident__preferred_name",
            "resident__legal_last_name",
        )
        .annotate(n=Count("pk"))
        .order_by("resident__legal_last_name", "resident__legal_first_name", "resident_id")
    )  # fmt: skip
    for row in attendance:
        figures = result[row["night_house_id"]]
        first_name = row["resident__preferred_name"] or row["resident__legal_first_name"]
        figures["recovery_meetings"].append(
            {
                "resident": row["resident_id"],
                "name": f"{first_name} {row['resident__legal_last_name']}",
                "count": row["n"],
            }
        )
        figures["recovery_meetings_total"] += row["n"]

    return {house_id: finish(figures, month=month) for house_id, figures in result.items()}


def _unsigned_at(*, scope, night, end) -> dict[int, int]:
    """Residents sleeping in each house on ``night`` whose stay had not signed the rule set current at ``end``: the
    count of ``residents.house_rules.selectors.unsigned_stays(night=, houses=, at=end)`` per house, written so the
    database finds each stay's house of the night and each house's rule set once (the selector's correlated
    subqueries are evaluated per stay, several times over)."""
    houses_sql, houses_params = scope.query.sql_with_params()
    night_value = connection.ops.adapt_datefield_value(night)
    at = connection.ops.adapt_datetimefield_value(end)
    sql = f"""
    WITH slept AS (
        SELECT a.stay_id, b.house_id,
               ROW_NUMBER() OVER (PARTITION BY a.stay_id ORDER BY a.id) AS nth
        FROM {BedAssignment._meta.db_table} a JOIN {Bed._meta.db_table} b ON b.id = a.bed_id
        WHERE a.start <= %s AND (a."end" IS NULL OR a."end" > %s) AND b.house_id IN ({houses_sql})
    ),
    published AS (
        SELECT r.id, r.house_id,
               ROW_NUMBER() OVER (PARTITION BY r.house_id ORDER BY r.published_at DESC, r.id DESC) AS nth
        FROM {RuleSet._meta.db_table} r
        WHERE r.published_at < %s AND r.house_id IN (SELECT house_id FROM slept)
    )
    SELECT s.house_id, COUNT(*) FROM slept s
    JOIN published p ON p.house_id = s.house_id AND p.nth = 1
    WHERE s.nth = 1 AND NOT EXISTS (
        SELECT 1 FROM {RuleAcknowledgement._meta.db_table} k
        WHERE k.stay_id = s.stay_id AND k.rule_set_id = p.id AND k.signed_at < %s
    )
    GROUP BY s.house_id
    """  # noqa: S608 (table names and a compiled queryset only; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [night_value, night_value, *houses_params, at, at])
        return dict(cursor.fetchall())


@lru_cache(maxsize=64)
def _mondays(first: date, nights: int) -> int:
    # Once per month, not once per house.
    return sum(1 for offset in range(nights) if (first.toordinal() + offset) % 7 == 1)


def finish(figures: dict, *, month: Month) -> dict:
    """Adds the ratios, from the counts, so houses and totals compute them the same way."""
    weeks = _mondays(month.first, month.nights)
    positive = figures["tests_by_result"].get("positive", 0)
    chores = figures["chores"]
    return {
        **figures,
        "test_compliance_pct": _pct(figures["tests_done"], figures["tests_requested"]),
        "positive_rate_pct": _pct(positive, figures["tests_collected"]),
        "chores_assigned": sum(chores.values()),
        "weeks_in_month": weeks,
    }


def total(per_house: dict[int, dict], *, month: Month, organization=None) -> dict:
    """Organization totals: sums of the houses' counts, ratios recomputed from the sums."""
    summed = _blank()
    for figures in per_house.values():
        for name in COUNTED:
            summed[name] += figures[name]
        for name in GROUPED:
            for key, value in figures[name].items():
                summed[name][key] = summed[name].get(key, 0) + value
        summed["recovery_meetings"].extend(figures["recovery_meetings"])
    if len(per_house) > 1:
        # A summary of many houses counts the people; each house's figures name them (a list of every resident of
        # thousands of houses is no summary).
        summed["recovery_meetings_people"] = len({row["resident"] for row in summed["recovery_meetings"]})
        summed["recovery_meetings"] = []
    summed["recovery_meetings"].sort(key=lambda row: row["name"])
    merged = defaultdict(dict)
    for name in GROUPED:
        merged[name] = dict(sorted(summed[name].items()))
    summed.update(merged)
    return finish(summed, month=month)


def public(figures: dict) -> dict:
    return figures
