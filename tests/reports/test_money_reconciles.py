"""Each month's money reconciles: opening balance + charged - adjustments - collected + returned payments + refunds
= closing balance, to the cent, and each month opens at the previous month's close (issue 12, requirement 6).

The clock is December 5, 2026 (Chicago): October and November are whole, December runs to date through Dec 4.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.services.ledger import charge_post, credit_post, entry_reverse, refund_post
from billing.services.payments import payment_record
from houses.models import House
from reports.metrics import Month, monthly_metrics
from reports.metrics import money as money_metrics
from residents.core.services.stays import stay_admit
from tests.clock import local_moment, module_clock
from tests.factories import HouseFactory

_clock = module_clock(local_moment(2026, 12, 5))

OCTOBER, NOVEMBER, DECEMBER = Month(2026, 10), Month(2026, 11), Month(2026, 12)
D = Decimal


@pytest.fixture
def ann(house, operator, resident_factory):
    resident = resident_factory(legal_first_name="Ann")
    stay_admit(actor=operator, resident=resident, bed=house.beds.first(), on=date(2026, 9, 20))
    return resident


@pytest.fixture
def post(operator):
    """Posts through the billing services, as staff would."""
    actor = operator

    class Post:
        @staticmethod
        def rent(resident, on, amount="900.00"):
            return charge_post(
                actor=actor, resident=resident, kind="rent", amount=amount, memo=f"Rent {on:%B}", effective_on=on
            )

        @staticmethod
        def charge(resident, kind, amount, on):
            return charge_post(actor=actor, resident=resident, kind=kind, amount=amount, effective_on=on)

        @staticmethod
        def paid(resident, amount, on, method="cash", reference=""):
            return payment_record(
                actor=actor, resident=resident, method=method, amount=amount, received_on=on, reference=reference
            )

        @staticmethod
        def reverse(entry, on):
            return entry_reverse(actor=actor, entry=entry, effective_on=on)

        @staticmethod
        def credit(resident, amount, on):
            return credit_post(actor=actor, resident=resident, amount=amount, memo="Goodwill", effective_on=on)

        @staticmethod
        def refund(resident, amount, on):
            return refund_post(actor=actor, resident=resident, amount=amount, effective_on=on)

    return Post


def money(house, month):
    return monthly_metrics(organization=house.organization, month=month, house=house)["houses"][0]["money"]


def _identity(figures):
    return (
        figures["opening_balance"]
        + figures["charged"]
        - figures["adjustments"]
        - figures["collected"]
        + figures["returned_payments"]
        + figures["refunds"]
    )


# A charge reversed the next month.


@pytest.fixture
def rent_reversed_in_november(house, ann, post):
    october_rent = post.rent(ann, date(2026, 10, 1))
    post.reverse(october_rent, date(2026, 11, 3))
    return house


def test_a_charge_reversed_next_month_stays_charged_in_its_own_month(rent_reversed_in_november):
    assert money(rent_reversed_in_november, OCTOBER)["charged_by_kind"] == {"rent": D("900.00")}


def test_a_charge_reversed_next_month_makes_no_negative_rent_that_month(rent_reversed_in_november):
    figures = money(rent_reversed_in_november, NOVEMBER)
    assert figures["charged_by_kind"] == {}
    assert figures["charged"] == D("0.00")


def test_a_charge_reversed_next_month_is_that_months_adjustment_under_its_kind(rent_reversed_in_november):
    figures = money(rent_reversed_in_november, NOVEMBER)
    assert figures["adjustments_by_kind"] == {"rent": D("900.00")}
    assert figures["adjustments"] == D("900.00")
    assert (figures["opening_balance"], figures["closing_balance"]) == (D("900.00"), D("0.00"))


def test_a_month_with_nothing_charged_has_no_collection_rate_rather_than_minus_zero(rent_reversed_in_november):
    assert money(rent_reversed_in_november, NOVEMBER)["collection_rate_pct"] is None


def test_a_charge_reversed_within_its_month_is_charged_and_adjusted_both(house, ann, post):
    fee = post.charge(ann, "program_fee", "250.00", date(2026, 10, 2))
    post.reverse(fee, date(2026, 10, 3))
    figures = money(house, OCTOBER)
    assert (figures["charged"], figures["adjustments"], figures["closing_balance"]) == (
        D("250.00"), D("250.00"), D("0.00"),
    )  # fmt: skip


# A returned (bounced) check: Ann owes October's rent, pays it by check on Oct 5, the bank returns it on Nov 2.


@pytest.fixture
def check_bounced_in_november(house, ann, post):
    post.rent(ann, date(2026, 10, 1))
    check = post.paid(ann, "900.00", date(2026, 10, 5), method="check", reference="101")
    post.reverse(check.entry, date(2026, 11, 2))
    return house


def test_a_returned_check_is_collected_in_the_month_it_was_received(check_bounced_in_november):
    figures = money(check_bounced_in_november, OCTOBER)
    assert figures["collected_by_method"] == {"check": D("900.00")}
    assert figures["returned_payments"] == D("0.00")


def test_the_receiving_months_arrears_count_a_check_returned_only_later_as_paid(check_bounced_in_november):
    figures = money(check_bounced_in_november, OCTOBER)
    assert figures["owed_total"] == D("0.00")
    assert figures["closing_balance"] == D("0.00")


def test_a_returned_check_is_returned_in_the_month_it_bounced_and_owed_again(check_bounced_in_november):
    figures = money(check_bounced_in_november, NOVEMBER)
    assert figures["collected"] == D("0.00")
    assert figures["returned_payments"] == D("900.00")
    assert figures["net"] == D("-900.00")
    assert figures["closing_balance"] == D("900.00")
    assert figures["owed_at_month_end"]["31_60"] == D("900.00")  # October's rent, 60 days old on Nov 30


def test_a_check_returned_within_the_month_leaves_that_months_charge_unpaid(house, ann, post):
    post.rent(ann, date(2026, 10, 1))
    check = post.paid(ann, "900.00", date(2026, 10, 5), method="check", reference="102")
    post.reverse(check.entry, date(2026, 10, 9))
    figures = money(house, OCTOBER)
    assert (figures["collected"], figures["returned_payments"]) == (D("900.00"), D("900.00"))
    assert figures["owed_total"] == D("900.00")


# Credits and refunds.


def test_a_credit_is_an_adjustment(house, ann, post):
    post.rent(ann, date(2026, 10, 1))
    post.credit(ann, "75.50", date(2026, 10, 12))
    figures = money(house, OCTOBER)
    assert figures["adjustments_by_kind"] == {"credit": D("75.50")}
    assert figures["charged"] == D("900.00")
    assert figures["closing_balance"] == D("824.50")


def test_a_refund_of_a_credit_balance_raises_the_closing_balance(house, ann, post):
    post.paid(ann, "300.00", date(2026, 10, 2))
    post.refund(ann, "120.00", date(2026, 10, 20))
    figures = money(house, OCTOBER)
    assert figures["refunds"] == D("120.00")
    assert figures["net"] == D("180.00")
    assert figures["closing_balance"] == D("-180.00")


# The identity, month after month.


@pytest.fixture
def three_months(house, ann, post, other_house, resident_factory, operator):
    """Odd cents, a fine reversed next month, a bounced check, a credit and a refund, in two houses."""
    post.rent(ann, date(2026, 10, 1))
    check = post.paid(ann, "900.00", date(2026, 10, 5), method="check", reference="103")
    fine = post.charge(ann, "fine", "35.33", date(2026, 10, 20))
    post.rent(ann, date(2026, 11, 1))
    post.reverse(check.entry, date(2026, 11, 2))
    post.reverse(fine, date(2026, 11, 3))
    post.credit(ann, "50.00", date(2026, 11, 10))
    post.paid(ann, "1000.00", date(2026, 11, 15))
    post.rent(ann, date(2026, 12, 1))
    post.paid(ann, "100.00", date(2026, 12, 5))  # today: after last night, not yet in December to date
    bea = resident_factory(legal_first_name="Bea")
    stay_admit(actor=operator, resident=bea, bed=other_house.beds.first(), on=date(2026, 10, 1))
    post.charge(bea, "program_fee", "199.99", date(2026, 10, 1))
    post.paid(bea, "333.33", date(2026, 10, 2), method="money_order", reference="M-1")
    post.refund(bea, "133.34", date(2026, 11, 20))
    return house


def test_november_is_worked_out_by_hand(three_months):
    figures = money(three_months, NOVEMBER)
    assert figures["opening_balance"] == D("35.33")  # the fine: the check paid October's rent until it bounced
    assert figures["charged_by_kind"] == {"rent": D("900.00")}
    assert figures["adjustments_by_kind"] == {"credit": D("50.00"), "fine": D("35.33")}
    assert figures["collected_by_method"] == {"cash": D("1000.00")}
    assert figures["returned_payments"] == D("900.00")
    assert figures["closing_balance"] == D("750.00")  # 35.33 + 900 - 85.33 - 1000 + 900
    assert figures["owed_at_month_end"]["1_30"] == D("750.00")  # November's rent, less what October's left
    assert figures["collection_rate_pct"] == D("111.1")


def test_a_month_to_date_counts_money_through_last_night(three_months):
    figures = money(three_months, DECEMBER)
    assert figures["collected"] == D("0.00")  # the Dec 5 payment is today's
    assert (figures["opening_balance"], figures["charged"], figures["closing_balance"]) == (
        D("750.00"), D("900.00"), D("1650.00"),
    )  # fmt: skip


@pytest.mark.parametrize("month", [OCTOBER, NOVEMBER, DECEMBER], ids=str)
def test_the_closing_balance_reconciles_to_the_cent_per_house_and_organization(three_months, month):
    metrics = monthly_metrics(organization=three_months.organization, month=month)
    for figures in [metrics["totals"]["money"], *(row["money"] for row in metrics["houses"])]:
        assert figures["closing_balance"] == _identity(figures)


def test_each_month_opens_at_the_previous_months_close(three_months):
    organization = three_months.organization
    closes = []
    for month in (Month(2026, 9), OCTOBER, NOVEMBER, DECEMBER):
        metrics = monthly_metrics(organization=organization, month=month)
        if closes:
            assert metrics["totals"]["money"]["opening_balance"] == closes[-1]
        closes.append(metrics["totals"]["money"]["closing_balance"])
    # Ann's 35.33 less Bea's credit of 133.34 in October; Bea's credit refunded in November.
    assert closes == [D("0.00"), D("-98.01"), D("750.00"), D("1650.00")]


def test_organization_money_totals_are_the_sums_of_the_houses(three_months):
    metrics = monthly_metrics(organization=three_months.organization, month=OCTOBER)
    totals, houses = metrics["totals"]["money"], [row["money"] for row in metrics["houses"]]
    for name in ("opening_balance", "charged", "adjustments", "collected", "closing_balance", "owed_total"):
        assert totals[name] == sum((figures[name] for figures in houses), D("0.00"))
    assert totals["collected_by_method"] == {"check": D("900.00"), "money_order": D("333.33")}


def test_the_json_carries_every_money_figure_as_a_string(three_months, api, operator):
    body = api(operator).get("/api/v1/reports/monthly/?month=2026-11").json()
    figures = body["totals"]["money"]
    assert figures["opening_balance"] == "-98.01"  # Ann's 35.33 less Bea's credit of 133.34
    assert figures["returned_payments"] == "900.00"
    assert figures["refunds"] == "133.34"
    assert figures["adjustments_by_kind"] == {"credit": "50.00", "fine": "35.33"}
    assert figures["closing_balance"] == "750.00"


def test_money_figures_cost_the_same_queries_for_one_house_or_many(organization, three_months):
    def queries_for(houses):
        with CaptureQueriesContext(connection) as captured:
            money_metrics.by_house(houses=houses, month=NOVEMBER, organization=organization)
        return len(captured)

    one = queries_for(House.objects.filter(pk=three_months.pk))
    for _ in range(4):
        HouseFactory(organization=organization, beds=2)
    assert queries_for(House.objects.filter(organization=organization)) == one
