"""The daily rent job at scale: a fixed number of queries whatever the number of stays, next to nothing on a day
with nothing to post, and each charge once when two workers run it at once."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import EntryKind, LedgerEntry, RentPeriod
from billing.tasks import post_rent_due
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
