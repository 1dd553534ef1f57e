"""Rent periods and proration, worked by hand (pure date arithmetic, no database)."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import RentPeriod
from billing.services.periods import Terms, monthly_due_date, period_containing, periods_overlapping, prorate

MONTHLY_1ST = Terms(period=RentPeriod.MONTHLY, due_day=1)
MONTHLY_31ST = Terms(period=RentPeriod.MONTHLY, due_day=31)
WEEKLY_FRIDAY = Terms(period=RentPeriod.WEEKLY, due_weekday=4)
BIWEEKLY_MONDAY = Terms(period=RentPeriod.BIWEEKLY, due_weekday=0, anchor=date(2026, 3, 2))


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2026, 1, date(2026, 1, 31)),
        (2026, 2, date(2026, 2, 28)),
        (2028, 2, date(2028, 2, 29)),
        (2026, 4, date(2026, 4, 30)),
    ],
)
def test_due_days_29_to_31_fall_on_the_last_day_of_shorter_months(year, month, expected):
    assert monthly_due_date(year, month, 31) == expected


def test_a_monthly_period_runs_from_one_due_date_to_the_next():
    assert period_containing(MONTHLY_1ST, date(2026, 3, 17)) == (date(2026, 3, 1), date(2026, 4, 1))


def test_a_night_before_the_due_day_belongs_to_last_months_period():
    terms = Terms(period=RentPeriod.MONTHLY, due_day=15)
    assert period_containing(terms, date(2026, 3, 10)) == (date(2026, 2, 15), date(2026, 3, 15))


def test_a_clamped_due_day_makes_periods_of_uneven_length():
    # Due on the 31st: Feb 28 -> Mar 31 is 31 nights, Mar 31 -> Apr 30 is 30 nights.
    assert period_containing(MONTHLY_31ST, date(2026, 3, 5)) == (date(2026, 2, 28), date(2026, 3, 31))
    assert period_containing(MONTHLY_31ST, date(2026, 4, 2)) == (date(2026, 3, 31), date(2026, 4, 30))


def test_a_weekly_period_starts_on_the_due_weekday():
    # Wednesday Mar 11, 2026 falls in the week that began on Friday Mar 6.
    assert period_containing(WEEKLY_FRIDAY, date(2026, 3, 11)) == (date(2026, 3, 6), date(2026, 3, 13))


def test_every_other_week_counts_from_the_anchor_both_ways():
    assert period_containing(BIWEEKLY_MONDAY, date(2026, 3, 20)) == (date(2026, 3, 16), date(2026, 3, 30))
    assert period_containing(BIWEEKLY_MONDAY, date(2026, 2, 20)) == (date(2026, 2, 16), date(2026, 3, 2))


def test_periods_overlapping_a_range_cover_it_without_gaps():
    periods = list(periods_overlapping(MONTHLY_1ST, date(2026, 1, 5), date(2026, 3, 10)))
    assert periods == [
        (date(2026, 1, 1), date(2026, 2, 1)),
        (date(2026, 2, 1), date(2026, 3, 1)),
        (date(2026, 3, 1), date(2026, 4, 1)),
    ]


def test_a_full_period_is_charged_exactly():
    assert prorate(Decimal("900.00"), 28, 28) == Decimal("900.00")


def test_move_in_on_jan_5_is_27_of_31_nights():
    # 900 x 27 / 31 = 783.870967... -> 783.87
    assert prorate(Decimal("900.00"), 27, 31) == Decimal("783.87")


def test_proration_rounds_half_up_to_the_cent():
    # 0.25 x 1 / 2 = 0.125 -> 0.13 (half-up), where banker's rounding would give 0.12.
    assert prorate(Decimal("0.25"), 1, 2) == Decimal("0.13")


def test_three_nights_of_a_weekly_rent():
    # 175 x 3 / 7 = 75.00
    assert prorate(Decimal("175.00"), 3, 7) == Decimal("75.00")
