"""The safety section of the monthly report: added to reports.metrics by this app (reports never imports it).

Definitions (the month is first <= day <= last, where ``last`` is the month's last day, or last night for a month
still running, reported "to date"):

- ``inspections_done``: safety inspections completed with an inspection date in the month.
- ``failed_lines_open``: corrective actions (failed inspection lines) opened by the month's end and not fixed by it.
- ``drills``: evacuation drills held in the month (organization's calendar).
- ``naloxone_expired`` / ``naloxone_expiring``: active naloxone kits expired by the month's last day / expiring in
  the 30 days after it; ``extinguishers_service_due``: active extinguishers last serviced over a year before it.
"""

from datetime import datetime, time, timedelta

from django.db.models import Count, Q

from .models import CorrectiveAction, Drill, Inspection, SafetyEquipment

COUNTS = (
    "inspections_done", "failed_lines_open", "drills", "naloxone_expired", "naloxone_expiring",
    "extinguishers_service_due",
)  # fmt: skip


def by_house(*, houses, month, organization) -> dict[int, dict]:
    house_ids = list(houses.values_list("pk", flat=True))
    result = {pk: dict.fromkeys(COUNTS, 0) for pk in house_ids}
    if not house_ids:
        return result
    scope = houses.order_by().values("pk")
    # A month to date ends at last night: nothing dated today or later is counted yet.
    first, last = month.first, month.end - timedelta(days=1)
    tz = organization.tzinfo
    start, end = datetime.combine(first, time.min, tzinfo=tz), datetime.combine(month.end, time.min, tzinfo=tz)

    def fill(queryset, name, field="house_id"):
        for row in queryset.values(field).annotate(n=Count("pk")).order_by():
            result[row[field]][name] = row["n"]

    fill(
        Inspection.objects.filter(
            house_id__in=scope, status=Inspection.Status.COMPLETED, inspected_on__gte=first, inspected_on__lte=last
        ),
        "inspections_done",
    )
    fill(
        CorrectiveAction.objects.filter(house_id__in=scope, opened_at__lt=end).filter(
            Q(fixed_on__isnull=True) | Q(fixed_on__gt=last)
        ),
        "failed_lines_open",
    )
    fill(Drill.objects.filter(house_id__in=scope, held_at__gte=start, held_at__lt=end), "drills")
    equipment = SafetyEquipment.objects.filter(house_id__in=scope, is_active=True)
    naloxone = equipment.filter(kind=SafetyEquipment.Kind.NALOXONE_KIT)
    fill(naloxone.filter(expires_on__lte=last), "naloxone_expired")
    fill(naloxone.filter(expires_on__gt=last, expires_on__lte=last + timedelta(days=30)), "naloxone_expiring")
    fill(
        equipment.filter(kind=SafetyEquipment.Kind.FIRE_EXTINGUISHER).filter(
            Q(last_serviced_on__isnull=True) | Q(last_serviced_on__lt=last - timedelta(days=365))
        ),
        "extinguishers_service_due",
    )
    return result


def total(per_house: dict[int, dict], *, month, organization=None) -> dict:
    return {name: sum(figures[name] for figures in per_house.values()) for name in COUNTS}


def public(figures: dict) -> dict:
    return figures
