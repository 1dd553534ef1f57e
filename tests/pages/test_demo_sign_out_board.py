"""The demo's sign-out board in the afternoon. Before 3 a.m. nobody has been out "this morning" yet, so this module
seeds and reads the demo at 2 p.m. house time of today (the day still varies with the run, only the hour is pinned)."""

import io
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from accounts.models import User
from demo.seed import ORGANIZATIONS
from houses.models import House


@pytest.fixture(scope="module")
def demo_seeded(django_db_setup, django_db_blocker):
    """``demo_seeded`` of tests/conftest.py, with the clock at 2 p.m. in the demo's time zone for the whole module."""
    zone = ZoneInfo(ORGANIZATIONS[0]["timezone"])
    afternoon = datetime.combine(timezone.localdate(timezone=zone), time(14), tzinfo=zone)
    with time_machine.travel(afternoon, tick=True), django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield timezone.now()
        transaction.set_rollback(True)


def test_the_demo_board_has_residents_out_since_this_morning_and_due_back_later(demo_db):
    house = House.objects.get(name="Maple House")
    organization = house.organization
    midnight = datetime.combine(organization.today(), time.min, tzinfo=organization.tzinfo)
    client = Client()
    client.force_login(User.objects.get(email="manager@example.com"))
    board = client.get(f"/dashboard/houses/{house.pk}/sign-outs/").context
    out_today = [sign_out for sign_out in board["out_now"] if sign_out.signed_out_at >= midnight]
    assert len(out_today) >= 2
    assert all(sign_out.expected_return_at > timezone.now() for sign_out in out_today)
    widget = client.get("/dashboard/").context["life"]["out_now"]
    assert set(out_today) <= set(widget)
