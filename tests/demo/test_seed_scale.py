"""``seed_scale`` builds one large organization with two years of history, beside the demo, and leaves today's work
for the nightly jobs. Built once for the module (six houses, on a fixed Wednesday) and rolled back at its end."""

import io
from collections import defaultdict
from datetime import timedelta
from itertools import pairwise

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import F, Max, Min, Sum

from accounts.models import Membership, Organization
from billing.models import CHARGE_KINDS, EntryKind, LedgerEntry, Payment
from billing.tasks import assess_late_fees, post_rent_due
from demo.scale import MANAGER, OPERATOR, RESIDENT, build_scale
from houses.models import House
from residents.chores.tasks import chore_rotation_generate_for_house
from residents.models import BedAssignment, Resident, Stay
from residents.testing.tasks import draw_drug_tests_for_all_houses
from tests.clock import local_moment
from tests.forms import FormClient

MOMENT = local_moment(2026, 3, 11, 10)  # a Wednesday


@pytest.fixture(scope="module")
def scale_seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), time_machine.travel(MOMENT, tick=True), transaction.atomic():
        yield build_scale(houses=6)
        transaction.set_rollback(True)


@pytest.fixture
def scale(scale_seeded, db):
    with time_machine.travel(MOMENT, tick=True):
        yield scale_seeded.organization


def sign_in(email):
    client = FormClient()
    response = client.submit("/accounts/login/", {"username": email, "password": "hearth-demo"}, follow=True)
    return client, response


def test_the_operator_signs_in_to_the_dashboard(scale):
    _client, response = sign_in(OPERATOR)
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert response.status_code == 200


def test_the_manager_signs_in_to_a_dashboard_of_their_five_houses_only(scale):
    houses = list(House.objects.filter(organization=scale).order_by("pk"))
    _client, response = sign_in(MANAGER)
    assert response.redirect_chain[-1][0] == "/dashboard/"
    page = response.content.decode()
    assert all(house.name in page for house in houses[:5])
    assert houses[5].name not in page
    assert Membership.objects.get(user__email=MANAGER, organization=scale).houses.count() == 5


def test_the_resident_signs_in_to_the_portal_of_a_current_stay(scale):
    resident = Resident.objects.get(membership__user__email=RESIDENT, organization=scale)
    assert Stay.objects.filter(resident=resident, move_out__isnull=True).exists()
    client, response = sign_in(RESIDENT)
    assert response.redirect_chain[-1][0] == "/portal/"
    assert response.status_code == 200
    assert client.get("/portal/").status_code == 200


def test_the_history_covers_two_years_up_to_yesterday(scale):
    today = scale.today()
    stays = Stay.objects.filter(organization=scale).aggregate(first=Min("move_in"), last=Max("move_in"))
    assert stays["first"] <= today - timedelta(days=680)
    entries = LedgerEntry.objects.filter(organization=scale).aggregate(
        first=Min("effective_on"), last=Max("effective_on")
    )
    assert entries["first"] <= today - timedelta(days=680)
    assert entries["last"] == today - timedelta(days=1)
    assert Stay.objects.filter(organization=scale, move_out__isnull=False).count() > 30
    assert Stay.objects.filter(organization=scale).exclude(admitted_to=F("house")).exists()  # transfers


def test_no_bed_holds_two_people_on_any_night(scale):
    by_bed = defaultdict(list)
    for bed, start, end in BedAssignment.objects.filter(stay__organization=scale).values_list("bed", "start", "end"):
        by_bed[bed].append((start, end))
    for spans in by_bed.values():
        spans.sort()
        for (_start, end), (next_start, _next_end) in pairwise(spans):
            assert end is not None
            assert end <= next_start


def test_each_balance_is_the_charges_less_the_credits_and_payments(scale):
    entries = LedgerEntry.objects.filter(organization=scale)
    charges = entries.filter(kind__in=CHARGE_KINDS).aggregate(total=Sum("amount"))["total"]
    credits = entries.filter(kind=EntryKind.CREDIT).aggregate(total=Sum("amount"))["total"]
    paid = Payment.objects.filter(organization=scale, status="completed").aggregate(total=Sum("amount"))["total"]
    assert entries.aggregate(total=Sum("amount"))["total"] == charges + credits - paid
    methods = set(Payment.objects.filter(organization=scale).values_list("method", flat=True))
    assert {"cash", "check", "money_order", "card", "bank_debit"} <= methods
    owing = [r for r in Resident.objects.filter(organization=scale) if r.ledger_entries.aggregate(t=Sum("amount"))["t"]]
    assert any(r.ledger_entries.aggregate(t=Sum("amount"))["t"] > 0 for r in owing)  # some are behind


def test_the_rows_hold_together(scale):
    connection.check_constraints()


def test_the_nightly_jobs_find_work_on_their_first_run_and_none_on_the_second(scale):
    houses = list(House.objects.filter(organization=scale).values_list("pk", flat=True))

    def run_all():
        return (
            post_rent_due(scale.pk),
            assess_late_fees(scale.pk),
            sum(chore_rotation_generate_for_house(house) for house in houses),
            draw_drug_tests_for_all_houses(),
        )

    first = run_all()
    assert all(first), first
    assert run_all() == (0, 0, 0, 0)


def test_the_first_rent_run_posts_only_what_falls_due_today(scale):
    before = LedgerEntry.objects.filter(organization=scale).count()
    post_rent_due(scale.pk)
    posted = LedgerEntry.objects.filter(organization=scale).order_by("-pk")[: LedgerEntry.objects.count() - before]
    assert {entry.effective_on for entry in posted} == {scale.today()}


def test_a_second_seed_is_refused_without_replace(scale):
    with pytest.raises(CommandError, match="--replace"):
        call_command("seed_scale", houses=1, stdout=io.StringIO())


def test_replace_deletes_the_previous_organization_and_builds_it_anew(scale):
    out = io.StringIO()
    call_command("seed_scale", houses=1, replace=True, stdout=out)
    organization = Organization.objects.get(slug="scale")
    assert organization.pk != scale.pk
    assert not Organization.objects.filter(pk=scale.pk).exists()
    assert House.objects.filter(organization=organization).count() == 1
    assert "billing_ledgerentry" in out.getvalue()
    connection.check_constraints()
    _client, response = sign_in(OPERATOR)
    assert response.redirect_chain[-1][0] == "/dashboard/"
