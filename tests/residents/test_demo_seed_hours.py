"""The demo's sign-out log breaks no curfew it did not mean to, whatever the hour it is seeded: the resident out now
and the morning's comings and goings leave after last night's curfew has ended, not in the small hours."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import Organization
from residents.models import Stay
from residents.program.selectors.signouts import find_curfew_violations
from tests.clock import local_moment

# A Saturday night's small hours (the latest curfews have passed), a Sunday morning before 6 a.m. and just after it
# (the resident out now went out 50 minutes ago, during last night's curfew). Later hours are the demo tests' own.
HOURS = [
    local_moment(2026, 12, 6, 2, 40),
    local_moment(2026, 12, 6, 5, 30),
    local_moment(2026, 12, 6, 6, 10),
]


@pytest.mark.parametrize("moment", HOURS, ids=lambda moment: f"{moment:%a-%H%M}")
def test_the_demo_logs_only_its_planned_curfew_violations_whenever_it_is_seeded(db, moment):
    with time_machine.travel(moment, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        demo = Organization.objects.get(slug="second-wind")
        today = demo.today()
        violations = find_curfew_violations(
            organization=demo, stays=Stay.objects.filter(organization=demo), first_night=today - timedelta(days=14),
            last_night=today,
        )  # fmt: skip
    logged = [v for v in violations if v.kind != "not_signed_in"]  # being out now may already be late
    assert 2 <= len(logged) <= 3, [f"{v.stay.resident} on {v.night}: {v.kind}" for v in logged]
