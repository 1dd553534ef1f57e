"""The daily rent job at scale: a fixed number of queries whatever the number of stays, next to nothing on a day
with nothing to post, and each charge once when two workers run it at once."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import EntryKind, LedgerEntry, RentPeriod, RentSchedule
from billing.services.rent import rent_post_due
from billing.tasks import post_rent_due
from residents.models import Stay
from tests.concurrency import at_once
from tests.factories import HouseFactory, admit

from .conftest import make_policy


def houses_with_stays(organization, count: int, *, since: date = date(2026, 1, 5)) -> None:
    """``count`` residents since ``since`` (from Jan 5, each is owed six charges by June 15, the first prorated), half
    of them in a house with monthly rent and half in one with weekly rent (due Mondays)."""
    monthly = HouseFactory(organization=organization, name="Monthly House", beds=count)
    weekly = HouseFactory(organization=organization, name="Weekly House", beds=count)
    make_policy(monthly)
    make_policy(weekly, rent_period=RentPeriod.WEEKLY, rent_due_day=None, rent_due_weekday=0)
    for index in range(count):
        admit(monthly if index % 2 else weekly, since)


def queries_of(job) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        result = job()
    return len(queries), result


def test_the_rent_job_costs_no_more_queries_for_30_stays_than_for_2(
    organization, other_organization, django_assert_max_num_queries
):
    # From Wednesday June 10: a prorated charge each, and the week from Monday June 15 for weekly rent. Few enough
    # rows that SQLite too writes them in one statement (it caps a statement at 999 parameters; PostgreSQL's batches
    # are 1,000 rows).
    houses_with_stays(organization, 2, since=date(2026, 6, 10))
    houses_with_stays(other_organization, 30, since=date(2026, 6, 10))
    for_two, written = queries_of(lambda: post_rent_due(organization.pk))
    assert written == 3
    with django_assert_max_num_queries(for_two):
        assert post_rent_due(other_organization.pk) == 45


def test_a_repeat_run_of_the_rent_job_posts_nothing_in_a_handful_of_queries(
    organization, django_assert_max_num_queries
):
    houses_with_stays(organization, 30)
    post_rent_due(organization.pk)
    before = LedgerEntry.objects.count()
    with django_assert_max_num_queries(5):
        assert post_rent_due(organization.pk) == 0
    assert LedgerEntry.objects.count() == before


def test_the_rent_job_returns_each_entry_it_wrote(organization):
    houses_with_stays(organization, 4)
    written = post_rent_due(organization.pk)
    assert written == LedgerEntry.objects.filter(kind=EntryKind.RENT).count()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_rent_jobs_running_at_once_post_each_charge_once(organization):
    houses_with_stays(organization, 12)
    results = at_once([lambda: post_rent_due(organization.pk)] * 2)
    charges = LedgerEntry.objects.filter(kind=EntryKind.RENT)
    keys = list(charges.values_list("idempotency_key", flat=True))
    assert len(keys) == len(set(keys))
    assert sum(results) == len(keys)  # what each run says it wrote adds up: nothing is counted twice
    assert post_rent_due(organization.pk) == 0


def ledger_reads(job) -> int:
    with CaptureQueriesContext(connection) as queries:
        job()
    table = LedgerEntry._meta.db_table
    return sum(1 for query in queries.captured_queries if table in query["sql"])


def test_a_repeat_run_the_same_day_reads_no_stays_entries(organization):
    houses_with_stays(organization, 6)
    post_rent_due(organization.pk)
    assert ledger_reads(lambda: post_rent_due(organization.pk)) == 0


def test_a_stay_is_read_again_and_charged_when_its_next_period_falls_due(organization):
    houses_with_stays(organization, 2)
    rent_post_due(on=date(2026, 6, 16), organization=organization)
    weekly_charges = LedgerEntry.objects.filter(kind=EntryKind.RENT, house__name="Weekly House")
    before = weekly_charges.count()
    assert rent_post_due(on=date(2026, 6, 21), organization=organization) == []  # Sunday: nothing falls due
    written = rent_post_due(on=date(2026, 6, 22), organization=organization)
    assert [entry.effective_on for entry in written] == [date(2026, 6, 22)]
    assert weekly_charges.count() == before + 1


def test_a_schedule_added_since_the_last_run_is_charged_the_same_day(organization):
    houses_with_stays(organization, 2)
    on = date(2026, 6, 16)
    rent_post_due(on=on, organization=organization)
    stay = Stay.objects.get(house__name="Weekly House")
    # A schedule added straight in the table, as no service would (the service posts at once): the bookmark notices
    # the terms changed rather than trusting who wrote them.
    RentSchedule.objects.create(
        organization=organization, stay=stay, amount=Decimal("50.00"), period=RentPeriod.WEEKLY, due_weekday=1,
        starts_on=on,
    )  # fmt: skip
    written = rent_post_due(on=on, organization=organization)
    assert [(entry.stay_id, entry.effective_on) for entry in written] == [(stay.pk, on)]


def test_a_move_out_written_since_the_last_run_gets_its_credit_from_the_next_run(organization):
    houses_with_stays(organization, 2)
    on = date(2026, 6, 16)
    rent_post_due(on=on, organization=organization)
    stay = Stay.objects.get(house__name="Monthly House")
    # A move-out whose discharge hook never ran: the daily job is the safety net, bookmark or not.
    Stay.objects.filter(pk=stay.pk).update(move_out=date(2026, 6, 11), discharge_reason=Stay.DischargeReason.VOLUNTARY)
    written = rent_post_due(on=on, organization=organization)
    assert [(entry.kind, entry.stay_id) for entry in written] == [(EntryKind.CREDIT, stay.pk)]
