"""seed_scale beside the demo: neither changes the other, whichever runs first. A module of its own: the scale
organization is built after the demo is seeded, so both hold the ids they would in one database."""

import io

from django.core.management import call_command
from django.db.models import Max, Sum

from accounts.models import Membership, Organization
from billing.models import LedgerEntry
from demo.scale import build_scale
from residents.models import Stay


def _demo_rows():
    demo = Organization.objects.exclude(slug="scale")
    return (
        list(demo.values_list("pk", "name")),
        Stay.objects.filter(organization__in=demo).count(),
        LedgerEntry.objects.filter(organization__in=demo).aggregate(total=Sum("amount"), rows=Max("pk")),
        Membership.objects.filter(organization__in=demo).count(),
    )


def test_the_demo_is_untouched_beside_the_scale_organization_in_either_order(demo_db):
    before = _demo_rows()
    assert before[0]
    build_scale(houses=1)
    assert _demo_rows() == before
    scale_stays = Stay.objects.filter(organization__slug="scale").count()
    assert scale_stays
    call_command("seed_demo", stdout=io.StringIO())
    assert _demo_rows() == before
    assert Stay.objects.filter(organization__slug="scale").count() == scale_stays
