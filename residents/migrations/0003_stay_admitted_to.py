import django.db.models.deletion
from django.db import migrations, models
from django.db.models.functions import Coalesce


def backfill_admitted_to(apps, schema_editor):
    """A stay was admitted into the house of its first bed (``house`` may have followed a transfer since)."""
    Stay = apps.get_model("residents", "Stay")
    BedAssignment = apps.get_model("residents", "BedAssignment")
    first_bed_house = (
        BedAssignment.objects.filter(stay_id=models.OuterRef("pk")).order_by("start", "pk").values("bed__house_id")[:1]
    )
    Stay.objects.update(admitted_to_id=Coalesce(models.Subquery(first_bed_house), models.F("house_id")))


class Migration(migrations.Migration):
    dependencies = [
        ("houses", "0002_bed_outages"),
        ("residents", "0002_house_life"),
    ]

    operations = [
        migrations.AddField(
            model_name="stay",
            name="admitted_to",
            field=models.ForeignKey(
                null=True,
                help_text="House the stay was admitted into",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="admissions",
                to="houses.house",
            ),
        ),
        migrations.RunPython(backfill_admitted_to, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="stay",
            name="admitted_to",
            field=models.ForeignKey(
                help_text="House the stay was admitted into",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="admissions",
                to="houses.house",
            ),
        ),
    ]
