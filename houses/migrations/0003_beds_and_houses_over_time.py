"""Beds get the nights they serve (``in_service_from``, ``retired_on``), houses the night they close (``closed_on``).

Existing rows are filled from what history already says, so no past month changes except where it was wrong:

- a house with no opening date opened on the earliest of its creation day and its first resident's move-in;
- a bed entered service on the earliest of its house's opening, its first bed assignment and its first outage;
- a closed house closed the night after its last resident left (the day of this migration if someone is still
  there, or if nobody ever was);
- outages of one bed that overlap (a corrected start used to leave both records) are merged into one, so each
  night is counted once.
"""

import zoneinfo
from datetime import datetime, timedelta

from django.db import migrations, models
from django.db.models import Max, Min, Q


def _today(organization):
    return datetime.now(zoneinfo.ZoneInfo(organization.timezone)).date()


def _created_on(house):
    return house.created_at.astimezone(zoneinfo.ZoneInfo(house.organization.timezone)).date()


def fill(apps, schema_editor):
    House = apps.get_model("houses", "House")
    Bed = apps.get_model("houses", "Bed")
    BedOutage = apps.get_model("houses", "BedOutage")
    BedAssignment = apps.get_model("residents", "BedAssignment")

    for house in House.objects.select_related("organization"):
        assignments = BedAssignment.objects.filter(bed__house=house)
        if house.opened_on is None:
            first_night = assignments.aggregate(first=Min("start"))["first"]
            house.opened_on = min(filter(None, [_created_on(house), first_night]))
            house.save(update_fields=["opened_on"])
        if house.status == "closed" and house.closed_on is None:
            still_there = assignments.filter(end__isnull=True).exists()
            last_left = assignments.aggregate(last=Max("end"))["last"]
            closed_on = _today(house.organization) if still_there or last_left is None else last_left
            house.closed_on = max(closed_on, house.opened_on + timedelta(days=1))
            house.save(update_fields=["closed_on"])

    for bed in Bed.objects.select_related("house"):
        first_assignment = BedAssignment.objects.filter(bed=bed).aggregate(first=Min("start"))["first"]
        first_outage = BedOutage.objects.filter(bed=bed).aggregate(first=Min("start"))["first"]
        bed.in_service_from = min(filter(None, [bed.house.opened_on, first_assignment, first_outage]))
        bed.save(update_fields=["in_service_from"])

    for bed_id in BedOutage.objects.values_list("bed_id", flat=True).distinct():
        merged = None
        for outage in BedOutage.objects.filter(bed_id=bed_id).order_by("start", "pk"):
            overlaps = merged is not None and (merged.end is None or outage.start < merged.end)
            if not overlaps:
                merged = outage
                continue
            if merged.end is not None and (outage.end is None or outage.end > merged.end):
                merged.end = outage.end
            merged.save(update_fields=["end"])
            outage.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("houses", "0002_bed_outages"),
        ("residents", "0002_house_life"),
    ]

    operations = [
        migrations.AddField(
            model_name="house",
            name="closed_on",
            field=models.DateField(
                blank=True, help_text="First night the house no longer offers beds (set when it closes).", null=True
            ),
        ),
        migrations.AlterField(
            model_name="house",
            name="opened_on",
            field=models.DateField(blank=True, help_text="First night the house offers beds.", null=True),
        ),
        migrations.AddField(
            model_name="bed",
            name="in_service_from",
            field=models.DateField(null=True, help_text="First night the bed is offered."),
        ),
        migrations.AddField(
            model_name="bed",
            name="retired_on",
            field=models.DateField(blank=True, help_text="First night the bed is no longer offered.", null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="bed",
            name="in_service_from",
            field=models.DateField(help_text="First night the bed is offered."),
        ),
        migrations.AddConstraint(
            model_name="house",
            constraint=models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gt=models.F("opened_on")),
                name="house_closes_after_it_opens",
                violation_error_message="A house closes after the night it opened.",
            ),
        ),
        migrations.AddConstraint(
            model_name="bed",
            constraint=models.CheckConstraint(
                condition=Q(retired_on__isnull=True) | Q(retired_on__gt=models.F("in_service_from")),
                name="bed_retires_after_it_enters_service",
                violation_error_message="A bed is retired after the night it entered service.",
            ),
        ),
        migrations.AddConstraint(
            model_name="bedoutage",
            constraint=models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="outage_ends_after_it_starts",
                violation_error_message="An outage ends after the night it starts.",
            ),
        ),
    ]
