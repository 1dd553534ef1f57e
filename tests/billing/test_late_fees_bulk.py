"""The daily late-fee job at scale: every house's rent read in one query, a fixed number of queries whatever the
number of charges, next to nothing on a day with nothing to charge, and each fee once when two workers run it."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import EntryKind, HouseBillingPolicy, LateFeeKind, LedgerEntry
from billing.tasks import assess_late_fees, post_rent_due
from tests.concurrency import at_once

from .test_rent_posting_bulk import houses_with_stays, queries_of


def with_late_fees(organization, count: int) -> None:
    """``count`` residents owing their June rent (due June 1, or Monday June 1 weekly), a flat $25 late fee after 10
    grace days, so on June 15 each June 1 charge is late."""
    houses_with_stays(organization, count)
    HouseBillingPolicy.objects.filter(organization=organization).update(
        late_fee_kind=LateFeeKind.FLAT, late_fee_amount=Decimal("25.00"), late_fee_grace_days=10
    )
    post_rent_due(organization.pk)


def test_the_late_fee_job_costs_no_more_queries_for_30_stays_than_for_2(
    organization, other_organization, django_assert_max_num_queries
):
    with_late_fees(organization, 2)
    with_late_fees(other_organization, 30)
    for_two, written = queries_of(lambda: assess_late_fees(organization.pk))
    assert written == 2
    with django_assert_max_num_queries(for_two):
        assert assess_late_fees(other_organization.pk) == 30


def test_a_repeat_run_of_the_late_fee_job_charges_nothing_in_a_handful_of_queries(
    organization, django_assert_max_num_queries
):
    with_late_fees(organization, 30)
    assess_late_fees(organization.pk)
    with django_assert_max_num_queries(3):
        assert assess_late_fees(organization.pk) == 0


def test_each_late_fee_names_the_rent_it_is_for(organization):
    with_late_fees(organization, 4)
    assess_late_fees(organization.pk)
    fees = LedgerEntry.objects.filter(kind=EntryKind.LATE_FEE).select_related("for_charge")
    assert {(fee.for_charge.effective_on, fee.amount, fee.effective_on) for fee in fees} == {
        (date(2026, 6, 1), Decimal("25.00"), date(2026, 6, 15))
    }
    assert {fee.for_charge.stay_id for fee in fees} == {fee.stay_id for fee in fees}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_late_fee_jobs_running_at_once_charge_each_fee_once(organization):
    with_late_fees(organization, 12)
    results = at_once([lambda: assess_late_fees(organization.pk)] * 2)
    assert sum(results) == 12
    assert LedgerEntry.objects.filter(kind=EntryKind.LATE_FEE).count() == 12
