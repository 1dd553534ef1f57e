"""The staff landing page's numbers: totals over every active house the viewer may see (counted in the database),
and a page of houses at a time with each one's census tonight, free beds, beds out of service, waitlist and what it
has to act on today. The cost never grows with the number of houses, beds or residents."""

from datetime import date, timedelta

from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.calendar import week_of
from accounts.models import Membership, Organization
from houses.models import Bed, House
from residents.conduct.selectors.incidents import incidents_for
from residents.core.selectors.applications import waitlist_size
from residents.core.selectors.bed_board import bed_board, bed_board_summary
from residents.core.selectors.nights import on_night, stays_on_night
from residents.house_rules.selectors import unsigned_stays
from residents.models import (
    Application,
    BedAssignment,
    ChoreAssignment,
    Incident,
    OvernightPass,
    PhaseChange,
    RuleAcknowledgement,
    SignOut,
    Stay,
    TestRequest,
)
from residents.program.selectors.board import signed_out_now, waiting_passes
from residents.program.selectors.phase_compliance import phase_compliance
from residents.program.selectors.signouts import find_curfew_violations, sign_outs_past_curfew

HOUSES_PER_PAGE = 25
# Each list of people on the dashboard shows this many; its total says how many more there are.
LISTED = 10


def active_houses(*, viewer: Membership) -> QuerySet[House]:
    """The active houses the viewer may see: the dashboard's scope."""
    return House.objects.visible_to(viewer).filter(status=House.Status.ACTIVE)


def _count(rows: QuerySet, by: str = "house"):
    """An annotation for a House queryset: how many of ``rows`` point at each house, in-query."""
    counted = rows.filter(**{by: OuterRef("pk")}).order_by().values(by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _sorts(viewer: Membership, today: date) -> dict:
    """What the house table can be ordered by, each as (annotations, ordering): the houses needing it most first."""
    overdue = TestRequest.objects.open().filter(due_on__lt=today)
    waiting = OvernightPass.objects.filter(status=OvernightPass.Status.REQUESTED)
    occupied = BedAssignment.objects.filter(on_night(today))
    return {
        "name": ({}, ["name", "pk"]),
        "overdue": ({"sort_value": _count(overdue)}, ["-sort_value", "name", "pk"]),
        "passes": ({"sort_value": _count(waiting)}, ["-sort_value", "name", "pk"]),
        "free": (
            {"sort_value": F("capacity") - _count(occupied, "bed__house")},
            ["-sort_value", "name", "pk"],
        ),
    }


SORTS = ("name", "overdue", "passes", "free")


def house_table(*, viewer: Membership, search: str = "", sort: str = "name") -> QuerySet[House]:
    """The active houses the viewer may see whose name contains ``search``, in the order ``sort`` names (one of
    ``SORTS``), each with ``capacity``, ``bed_count`` and ``waitlist``: the rows the dashboard pages through."""
    today = viewer.organization.today()
    houses = active_houses(viewer=viewer).with_capacity(today).annotate(waitlist=waitlist_size())
    if search:
        houses = houses.filter(name__icontains=search)
    annotations, ordering = _sorts(viewer, today).get(sort, _sorts(viewer, today)["name"])
    return houses.annotate(**annotations).order_by(*ordering)


def house_census(*, viewer: Membership, houses: list[House]) -> dict:
    """Each of ``houses`` (a page of ``house_table``) with ``summary`` (``bed_board_summary`` for tonight) and
    ``out_of_service`` (beds not in service tonight). One query."""
    night = viewer.organization.today()
    beds_by_house = {house.pk: [] for house in houses}
    for bed in bed_board(viewer=viewer, on=night).filter(house__in=[house.pk for house in houses]):
        beds_by_house[bed.house_id].append(bed)
    rows = []
    for house in houses:
        summary = bed_board_summary(beds_by_house[house.pk], night=night)
        rows.append({"house": house, "summary": summary, "out_of_service": summary["beds"] - summary["in_service"]})
    return {"night": night, "houses": rows}


def _open_test_requests(viewer: Membership, houses, today: date) -> QuerySet:
    return (
        TestRequest.objects.visible_to(viewer)
        .open()
        .filter(house__in=houses)
        .order_by()
        .values("house_id")
        .annotate(due=Count("pk", filter=Q(due_on__gte=today)), overdue=Count("pk", filter=Q(due_on__lt=today)))
    )


def _chores_today(viewer: Membership, houses, today: date) -> QuerySet:
    return (
        ChoreAssignment.objects.visible_to(viewer)
        .live()
        .filter(due_date=today, house__in=houses)
        .order_by()
        .values("house_id")
        .annotate(total=Count("pk"), pending=Count("pk", filter=Q(status=ChoreAssignment.Status.PENDING)))
    )


def _passes_waiting(viewer: Membership, houses) -> QuerySet:
    return (
        waiting_passes(viewer=viewer)
        .filter(house__in=houses)
        .order_by()
        .values("house_id")
        .annotate(count=Count("pk"), next_leave_on=Min("leave_on"))
    )


def _sleeping_last_night(viewer: Membership, houses, last_night: date) -> QuerySet[Stay]:
    """Stays whose bed was in one of ``houses`` last night, each with ``night_house_id``, by name."""
    return (
        stays_on_night(night=last_night, houses=houses)
        .filter(organization_id=viewer.organization_id)
        .select_related("resident")
        .order_by("resident__legal_last_name", "resident__legal_first_name", "pk")
    )


def could_be_behind(*, viewer: Membership, houses, today: date) -> QuerySet[Stay]:
    """Open stays of ``houses`` that may be behind on this week's phase requirements: in a phase, and with something
    that can make them miss one (``phase_compliance``): a sign-out reaching into a curfew this week, an approved pass
    this month, or, once the week or the month is over, its minimums. Judging only these finds every resident
    behind without loading the others; a house whose residents have no phase costs nothing."""
    week_start, week_end = week_of(today)
    week_over = today >= week_end
    month_over = (today + timedelta(days=1)).day == 1
    stays = (
        Stay.objects.visible_to(viewer)
        .open()
        .filter(house__in=houses)
        .filter(Exists(PhaseChange.objects.filter(stay=OuterRef("pk"), effective_on__lte=today)))
    )
    if week_over or month_over:
        return stays
    late = sign_outs_past_curfew(organization=viewer.organization, first_night=week_start, last_night=today)
    first = today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    passes = OvernightPass.objects.filter(status=OvernightPass.Status.APPROVED, leave_on__range=(first, last))
    return stays.filter(Exists(late.filter(stay=OuterRef("pk"))) | Exists(passes.filter(stay=OuterRef("pk"))))


class _Count(Subquery):
    """``SELECT COUNT(*)`` of a queryset, as an expression."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


def _counted(rows: QuerySet) -> _Count:
    return _Count(rows.order_by().values("pk"))


def unsigned_rows(*, night: date, houses) -> QuerySet[BedAssignment]:
    """One row per stay ``unsigned_stays`` names for ``houses`` on ``night`` (current rules), as joins: each bed
    occupied that night, its house's one current rule set, and no signature of it by the stay. The database counts
    every house at once instead of looking up each stay's house, rules and signature in turn."""
    current = FilteredRelation("bed__house__rule_sets", condition=Q(bed__house__rule_sets__is_current=True))
    signed = RuleAcknowledgement.objects.filter(stay_id=OuterRef("stay_id"), rule_set_id=OuterRef("current__id"))
    return (
        BedAssignment.objects.filter(on_night(night), bed__house__in=houses)
        .annotate(current=current)
        .filter(current__id__isnull=False)
        .exclude(Exists(signed))
    )


def unsigned_count(*, night: date, houses) -> int:
    """How many stays ``unsigned_stays`` names for ``houses`` on ``night`` (``unsigned_rows``)."""
    return unsigned_rows(night=night, houses=houses).count()


def attention_totals(*, viewer: Membership) -> dict:
    """Totals over every active house the viewer may see, each counted in the database: ``beds`` (beds the houses
    have tonight), ``in_service``, ``occupied``, ``free`` (in service and empty), ``out_of_service``, ``waiting``
    (applications waiting for a bed), ``tests_overdue`` and ``tests_due`` (open requests due before today, and from
    today on), ``chores_pending`` (today's chores not marked yet), ``unsigned`` (current residents who have not signed
    their house's current rules), ``out_now`` (open sign-outs), ``passes`` (passes waiting for a decision) and
    ``incidents`` (in the last seven days)."""
    today = viewer.organization.today()
    houses = active_houses(viewer=viewer).values("pk")
    present = Bed.objects.filter(house__in=houses).present_on(today)
    in_service = Bed.objects.in_service_on(today).values("pk")
    sleeping = BedAssignment.objects.filter(on_night(today), bed__in=present.values("pk"))
    tests = TestRequest.objects.visible_to(viewer).open().filter(house__in=houses)
    week_ago = timezone.now() - timedelta(days=7)
    counts = {
        "beds": present,
        "in_service": present.filter(pk__in=in_service),
        "occupied": sleeping,
        "occupied_in_service": sleeping.filter(bed__in=in_service),
        "waiting": Application.objects.visible_to(viewer).filter(status__in=Application.WAITING),
        "tests_overdue": tests.filter(due_on__lt=today),
        "tests_due": tests.filter(due_on__gte=today),
        "chores_pending": ChoreAssignment.objects.visible_to(viewer)
        .live()
        .filter(due_date=today, house__in=houses, status=ChoreAssignment.Status.PENDING),
        "unsigned": unsigned_rows(night=today, houses=houses),
        "out_now": SignOut.objects.visible_to(viewer).open().filter(house__in=houses),
        "passes": waiting_passes(viewer=viewer).filter(house__in=houses),
        "incidents": Incident.objects.visible_to(viewer).in_view().filter(occurred_at__gte=week_ago, house__in=houses),
    }
    # Every count in one round trip, each a subquery the database answers with hash joins (no per-row lookups).
    row = (
        Organization.objects.filter(pk=viewer.organization_id)
        .annotate(**{f"count_{name}": _counted(rows) for name, rows in counts.items()})
        .values(*(f"count_{name}" for name in counts))
        .get()
    )
    totals = {name: row[f"count_{name}"] for name in counts}
    totals["free"] = totals["in_service"] - totals.pop("occupied_in_service")
    totals["out_of_service"] = totals["beds"] - totals["in_service"]
    return totals


def house_life_today(*, viewer: Membership, houses: list[House] | None = None) -> dict:
    """What a manager has to act on today, each part for the page that handles it. Per house, for ``houses`` (a
    page of the house table; every active house the viewer may see when None):

    - ``tests``: open test requests due today or later (``due``) and due before today (``overdue``);
    - ``chores``: chores due today (``total``, cancelled ones aside) and those not yet marked (``pending``);
    - ``unsigned``: current residents who have not signed its current rule set in this stay (``unsigned_stays``:
      those sleeping there tonight);
    - ``passes``: overnight passes waiting for a decision (``count``, ``next_leave_on``).

    Over every active house the viewer may see, the first ``LISTED`` of each list and its total (``*_total``):

    - ``out_now``: open sign-outs, soonest back first; ``violations``: last night's curfew violations, each with its
      ``house``, by house and name;
    - ``behind``: current residents behind on this week's phase requirements: ``row`` (``phase_compliance``) and the
      labels of the requirements ``missed``; only residents in a phase with something that can make them miss one
      are judged (``could_be_behind``);
    - ``incidents``: the five latest incidents of the last seven days.

    Per-house parts list only houses with something in them. A fixed number of queries whatever the number of
    houses, residents and records.
    """
    today = viewer.organization.today()
    last_night = today - timedelta(days=1)
    scope = active_houses(viewer=viewer)
    if houses is None:
        houses = list(scope)
    by_pk = {house.pk: house for house in houses}
    page = list(by_pk)

    def per_house(rows):
        return [{"house": by_pk[row.pop("house_id")], **row} for row in rows if row["house_id"] in by_pk]

    unsigned = [
        {"house_id": row["night_house_id"], "count": row["count"]}
        for row in unsigned_stays(night=today, houses=page)
        .order_by()
        .values("night_house_id")
        .annotate(count=Count("pk"))
    ]
    scope_ids = scope.values("pk")
    out_now = signed_out_now(viewer=viewer).filter(house__in=scope_ids)
    sleeping = _sleeping_last_night(viewer, scope_ids, last_night)
    violations = find_curfew_violations(
        organization=viewer.organization, stays=sleeping, first_night=last_night, last_night=last_night
    )
    names = {house.pk: house for house in House.objects.filter(pk__in={v.stay.night_house_id for v in violations})}
    violations = sorted(
        ({"violation": violation, "house": names[violation.stay.night_house_id]} for violation in violations),
        key=lambda item: (item["house"].name, item["violation"].stay.resident.legal_last_name),
    )
    candidates = could_be_behind(viewer=viewer, houses=scope_ids, today=today)
    behind = [
        {"row": row, "missed": [requirement.label for requirement in row.missed]}
        for row in phase_compliance(viewer=viewer, week_start=today, stays=candidates)
        if row.behind
    ]
    week_ago = timezone.now() - timedelta(days=7)
    incidents = incidents_for(viewer=viewer).filter(occurred_at__gte=week_ago, house__in=scope_ids)
    return {
        "today": today,
        "last_night": last_night,
        "tests": per_house(_open_test_requests(viewer, page, today)),
        "chores": per_house(_chores_today(viewer, page, today)),
        "unsigned": per_house(unsigned),
        "passes": per_house(_passes_waiting(viewer, page)),
        "out_now": list(out_now[:LISTED]),
        "violations": violations[:LISTED],
        "violations_total": len(violations),
        "incidents": list(incidents[:5]),
        "behind": behind[:LISTED],
        "behind_total": len(behind),
    }
