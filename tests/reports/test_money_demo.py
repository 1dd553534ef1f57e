"""The demo's money reconciles month after month: 24 months walked back from the current month (to date), per house
and per organization (issue 12, requirement 6). Every test here uses the demo seed."""

from decimal import Decimal
from itertools import pairwise

import pytest

from accounts.models import Organization
from demo import seed_peer
from houses.models import House
from reports.metrics import Month, reportable
from reports.metrics import money as money_metrics

ZERO = Decimal("0.00")


@pytest.fixture
def walks(demo_db):
    """Per organization: 24 months, oldest first, each as (month, {house id: figures}, organization totals)."""
    result = {}
    for organization in Organization.objects.all():
        today = organization.today()
        try:
            month = reportable(organization=organization, month=Month.of(today))
        except ValueError:  # the 1st: the new month has no night over yet
            month = Month.of(today).previous()
        houses = House.objects.filter(organization=organization)
        months = []
        for _ in range(24):
            per_house = money_metrics.by_house(houses=houses, month=month, organization=organization)
            months.insert(0, (month, per_house, money_metrics.total(per_house, month=month)))
            month = month.previous()
        result[organization.slug] = months
    return result


def _every_figures(walks):
    for months in walks.values():
        for month, per_house, totals in months:
            for where, figures in [("organization", totals), *per_house.items()]:
                yield f"{month} {where}", figures


def test_every_month_of_the_demo_reconciles_to_the_cent(walks):
    for label, figures in _every_figures(walks):
        computed = (
            figures["opening_balance"] + figures["charged"] - figures["adjustments"] - figures["collected"]
            + figures["returned_payments"] + figures["refunds"]
        )  # fmt: skip
        assert figures["closing_balance"] == computed, label


def test_every_month_of_the_demo_opens_at_the_previous_months_close(walks):
    for months in walks.values():
        for (_month, before, before_total), (month, after, after_total) in pairwise(months):
            assert after_total["opening_balance"] == before_total["closing_balance"], str(month)
            for house_id, figures in after.items():
                assert figures["opening_balance"] == before[house_id]["closing_balance"], f"{month} {house_id}"


def test_the_demo_walk_starts_before_the_ledger_and_ends_at_what_residents_owe_now(walks):
    from billing.models import LedgerEntry

    for slug, months in walks.items():
        _first_month, _per_house, first_total = months[0]
        last_month, _per_house, last_total = months[-1]
        assert first_total["opening_balance"] == ZERO, slug
        entries = LedgerEntry.objects.filter(organization__slug=slug, effective_on__lt=last_month.end)
        assert last_total["closing_balance"] == sum((entry.amount for entry in entries), ZERO), slug


def test_no_charge_figure_and_no_collection_rate_of_the_demo_is_negative(walks):
    for label, figures in _every_figures(walks):
        assert figures["charged"] >= 0, label
        assert all(amount > 0 for amount in figures["charged_by_kind"].values()), label
        assert all(amount > 0 for amount in figures["collected_by_method"].values()), label
        rate = figures["collection_rate_pct"]
        assert rate is None or (rate >= 0 and str(rate) != "-0.0"), label


def test_the_demo_shows_every_kind_of_money_movement(walks):
    totals = [figures for months in walks.values() for _month, _per_house, figures in months]
    assert any(figures["returned_payments"] > 0 for figures in totals)
    assert any(figures["refunds"] > 0 for figures in totals)
    assert any(figures["adjustments_by_kind"].get("credit", ZERO) > 0 for figures in totals)
    assert any(figures["adjustments_by_kind"].get("program_fee", ZERO) > 0 for figures in totals)


def test_the_demo_has_a_check_collected_in_one_month_and_returned_in_the_next(demo_db):
    from billing.models import Payment

    bounced = Payment.objects.filter(status=Payment.Status.REVERSED, reference="4417").select_related("entry")
    # Each staff-run organization's billing demo has one; the peer-run one's members pay cash and money orders.
    assert bounced.count() == Organization.objects.exclude(slug=seed_peer.ORGANIZATION["slug"]).count()
    for payment in bounced:
        returned_on = payment.entry.reversed_by.effective_on
        assert Month.of(returned_on).previous() == Month.of(payment.received_on)
