"""The staff landing page's numbers: per house, tonight's census, free beds, beds out of service and waitlist;
and what the houses have to act on today."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from accounts.models import Membership
from houses.models import House
from houses.selectors import houses_for
from residents.conduct.selectors.incidents import incidents_for
from residents.core.selectors.applications import waiting_count, waitlist_size
from residents.core.selectors.bed_board import bed_board, bed_board_summary
from residents.house_rules.selectors import unsigned_stays
from residents.models import BedAssignment, ChoreAssignment, TestRequest
from residents.program.selectors.board import signed_out_now, waiting_passes
from residents.program.selectors.phase_compliance import phase_compliance
from residents.program.selectors.signouts import find_curfew_violations


def house_census(*, viewer: Membership) -> dict:
    """Each active house the viewer may see with ``summary`` (``bed_board_summary`` for tonight) and
    ``out_of_service`` (beds not in service tonight), plus ``waitlist`` per house and ``waiting`` in all.

    Three queries whatever the number of houses and beds.
    """
    night = viewer.organization.today()
    houses = list(houses_for(viewer=viewer).filter(status=House.Status.ACTIVE).annotate(waitlist=waitlist_size()))
    beds_by_house = defaultdict(list)
    for bed in bed_board(viewer=viewer, on=night):
        beds_by_house[bed.house_id].append(bed)
    rows = []
    for house in houses:
        summary = bed_board_summary(beds_by_house.get(house.pk, []), night=night)
        rows.append({"house": house, "summary": summary, "out_of_service": summary["beds"] - summary["in_service"]})
    return {"night": night, "houses": rows, "waiting": waiting_count(viewer=viewer)}


def house_life_today(*, viewer: Membership) -> dict:
    """What a manager has to act on today, across the active houses the viewer may see, each part for the page
    that handles it:

    - ``tests``: per house, open test requests due today or later (``due``) and due before today (``overdue``);
    - ``chores``: per house, chores due today (``total``, cancelled ones aside) and those not yet marked (``pending``);
    - ``unsigned``: per house, current residents who have not signed its current rule set in this stay
      (``unsigned_stays``: those sleeping there tonight);
    - ``out_now``: open sign-outs; ``violations``: last night's curfew violations, each with its ``house``;
    - ``passes``: per house, overnight passes waiting for a decision (``count``, ``next_leave_on``);
    - ``incidents``: the five latest incidents of the last seven days;
    - ``behind``: current residents behind on this week's phase requirements: ``row`` (``phase_compliance``) and
      the labels of the requirements ``missed``.

    Per-house parts list only houses with something in them. A fixed number of queries whatever the number of
    houses, residents and records.
    """
    today = viewer.organization.today()
    last_night = today - timedelta(days=1)
    houses = {house.pk: house for house in House.objects.visible_to(viewer).filter(status=House.Status.ACTIVE)}

    def per_house(rows):
        return [{"house": houses[row.pop("house_id")], **row} for row in rows if row["house_id"] in houses]

    tests = (
        TestRequest.objects.visible_to(viewer)
        .open()
        .order_by()
        .values("house_id")
        .annotate(due=Count("pk", filter=Q(due_on__gte=today)), overdue=Count("pk", filter=Q(due_on__lt=today)))
    )
    chores = (
        ChoreAssignment.objects.visible_to(viewer)
        .live()
        .filter(due_date=today)
        .order_by()
        .values("house_id")
        .annotate(total=Count("pk"), pending=Count("pk", filter=Q(status=ChoreAssignment.Status.PENDING)))
    )
    unsigned = [
        {"house_id": row["night_house_id"], "count": row["count"]}
        for row in unsigned_stays(night=today, houses=list(houses))
        .order_by()
        .values("night_house_id")
        .annotate(count=Count("pk"))
    ]
    passes = (
        waiting_passes(viewer=viewer)
        .order_by()
        .values("house_id")
        .annotate(count=Count("pk"), next_leave_on=Min("leave_on"))
    )

    # Last night's residents are those whose bed was in one of the houses that night.
    sleeping = (
        BedAssignment.objects.visible_to(viewer)
        .filter(bed__house_id__in=list(houses), start__lte=last_night)
        .filter(Q(end__isnull=True) | Q(end__gt=last_night))
        .select_related("stay__resident", "bed")
    )
    stays, house_of = {}, {}
    for assignment in sleeping:
        stays[assignment.stay_id] = assignment.stay
        house_of[assignment.stay_id] = houses[assignment.bed.house_id]
    violations = find_curfew_violations(
        organization=viewer.organization, stays=stays.values(), first_night=last_night, last_night=last_night
    )
    behind = [
        {"row": row, "missed": [requirement.label for requirement in row.missed]}
        for row in phase_compliance(viewer=viewer, week_start=today)
        if row.behind and row.stay.house_id in houses and row.stay.move_out is None
    ]
    week_ago = timezone.now() - timedelta(days=7)
    return {
        "today": today,
        "last_night": last_night,
        "tests": per_house(tests),
        "chores": per_house(chores),
        "unsigned": per_house(unsigned),
        "passes": per_house(passes),
        "out_now": [sign_out for sign_out in signed_out_now(viewer=viewer) if sign_out.house_id in houses],
        "violations": sorted(
            ({"violation": violation, "house": house_of[violation.stay.pk]} for violation in violations),
            key=lambda item: (item["house"].name, item["violation"].stay.resident.legal_last_name),
        ),
        "incidents": list(incidents_for(viewer=viewer).filter(occurred_at__gte=week_ago, house__in=list(houses))[:5]),
        "behind": behind,
    }
