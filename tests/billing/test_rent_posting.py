"""Rent posting: each period's charge on its due date, prorated at move-in and move-out, never twice.

Maple House's policy in these tests: $900 a month, due on the 1st. Amounts are worked by hand in each test.
"""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from accounts.exceptions import DomainError
from billing.models import EntryKind, LedgerEntry, RentPeriod, RentSchedule
from billing.selectors.balances import balance_of
from billing.services.ledger import entry_reverse
from billing.services.rent import rent_post_due, rent_schedule_set
from tests.factories import admit

from .conftest import discharge, make_policy


def rent_of(stay):
    return list(
        LedgerEntry.objects.filter(stay=stay, kind=EntryKind.RENT)
        .order_by("effective_on")
        .values_list("effective_on", "amount")
    )


def credits_of(stay):
    return list(LedgerEntry.objects.filter(stay=stay, kind=EntryKind.CREDIT).values_list("amount", flat=True))


@pytest.fixture
def stay(policy, house):
    """Admitted on Monday Jan 5, 2026."""
    return admit(house, date(2026, 1, 5))


def test_admission_copies_the_house_default_onto_the_stay(stay):
    schedule = RentSchedule.objects.get(stay=stay)
    assert (schedule.amount, schedule.period, schedule.due_day) == (Decimal("900.00"), "monthly", 1)
    assert schedule.starts_on == date(2026, 1, 5)
    assert schedule.source == RentSchedule.Source.HOUSE_DEFAULT


def test_the_first_charge_is_prorated_from_move_in(stay):
    rent_post_due(on=date(2026, 1, 5))
    # Jan 5 - Jan 31 is 27 of January's 31 nights: 900 x 27 / 31 = 783.87.
    assert rent_of(stay) == [(date(2026, 1, 5), Decimal("783.87"))]


def test_nothing_is_posted_before_its_due_date(stay):
    rent_post_due(on=date(2026, 1, 31))
    assert [day for day, _amount in rent_of(stay)] == [date(2026, 1, 5)]


def test_each_full_period_is_charged_on_its_due_date(stay):
    rent_post_due(on=date(2026, 3, 1))
    assert rent_of(stay) == [
        (date(2026, 1, 5), Decimal("783.87")),
        (date(2026, 2, 1), Decimal("900.00")),
        (date(2026, 3, 1), Decimal("900.00")),
    ]


def test_the_charge_records_its_period_and_the_nights_it_covers(stay):
    rent_post_due(on=date(2026, 1, 5))
    charge = LedgerEntry.objects.get(stay=stay, kind=EntryKind.RENT)
    assert (charge.period_start, charge.period_end) == (date(2026, 1, 1), date(2026, 2, 1))
    assert (charge.billed_from, charge.billed_to) == (date(2026, 1, 5), date(2026, 2, 1))
    assert charge.memo == "Rent Jan 5 to Jan 31, 2026: 27 of 31 nights of $900.00 monthly"
    assert charge.idempotency_key == f"rent:{stay.pk}:{charge.rent_schedule_id}:2026-01-05"


def test_running_the_job_twice_posts_nothing_twice(stay):
    first = rent_post_due(on=date(2026, 3, 1))
    second = rent_post_due(on=date(2026, 3, 1))
    assert len(first) == 3
    assert second == []
    assert LedgerEntry.objects.filter(stay=stay).count() == 3


def test_daily_runs_post_the_same_as_one_late_run(policy, house):
    daily, catch_up = admit(house, date(2026, 1, 5)), admit(house, date(2026, 1, 5))
    for day in range(1, 32):
        rent_post_due(on=date(2026, 1, day), house=house)
    rent_post_due(on=date(2026, 3, 1))
    assert rent_of(daily) == rent_of(catch_up)


def test_a_stay_without_rent_terms_is_not_charged(house):
    stay = admit(house, date(2026, 1, 5))  # no policy: no schedule
    rent_post_due(on=date(2026, 3, 1))
    assert not RentSchedule.objects.filter(stay=stay).exists()
    assert rent_of(stay) == []


def test_the_job_can_be_limited_to_one_house(policy, house, other_house):
    make_policy(other_house)
    ours, theirs = admit(house, date(2026, 1, 1)), admit(other_house, date(2026, 1, 1))
    rent_post_due(on=date(2026, 1, 1), house=house)
    assert len(rent_of(ours)) == 1
    assert rent_of(theirs) == []


def test_a_reversed_rent_charge_is_not_posted_again(stay, operator):
    rent_post_due(on=date(2026, 1, 5))
    entry_reverse(actor=operator, entry=LedgerEntry.objects.get(stay=stay, kind=EntryKind.RENT))
    rent_post_due(on=date(2026, 1, 6))
    assert LedgerEntry.objects.filter(stay=stay, kind=EntryKind.RENT).count() == 1
    assert balance_of(stay.resident_id) == Decimal("0.00")


def test_a_discharge_posts_the_prorated_last_charge(stay):
    rent_post_due(on=date(2026, 2, 15))
    discharge(stay, date(2026, 3, 10))  # last night Mar 9: 9 of 31 nights, 900 x 9 / 31 = 261.29
    assert rent_of(stay)[-1] == (date(2026, 3, 1), Decimal("261.29"))
    assert credits_of(stay) == []


def test_a_discharge_stops_later_charges(stay):
    discharge(stay, date(2026, 3, 10))
    rent_post_due(on=date(2026, 6, 1))
    assert [day for day, _amount in rent_of(stay)] == [date(2026, 1, 5), date(2026, 2, 1), date(2026, 3, 1)]


def test_a_discharge_inside_a_charged_period_credits_the_nights_not_stayed(stay):
    rent_post_due(on=date(2026, 3, 1))  # March charged in full: 900.00
    discharge(stay, date(2026, 3, 10))
    # Nine nights cost 261.29, so 900.00 - 261.29 = 638.71 comes back, linked to the March charge.
    credit = LedgerEntry.objects.get(stay=stay, kind=EntryKind.CREDIT)
    assert credit.amount == Decimal("-638.71")
    assert credit.for_charge == LedgerEntry.objects.get(stay=stay, kind=EntryKind.RENT, effective_on=date(2026, 3, 1))
    assert balance_of(stay.resident_id) == Decimal("783.87") + Decimal("900.00") + Decimal("261.29")


def test_the_charged_period_itself_is_not_edited(stay):
    rent_post_due(on=date(2026, 3, 1))
    march = LedgerEntry.objects.get(stay=stay, effective_on=date(2026, 3, 1))
    discharge(stay, date(2026, 3, 10))
    march.refresh_from_db()
    assert march.amount == Decimal("900.00")


def test_a_discharge_dated_periods_back_credits_every_period_after_it(stay):
    rent_post_due(on=date(2026, 6, 1))  # Jan (prorated) to June charged
    discharge(stay, date(2026, 4, 10))
    # April: 9 of 30 nights cost 270.00, so 630.00 back; May and June come back in full.
    assert sorted(credits_of(stay)) == [Decimal("-900.00"), Decimal("-900.00"), Decimal("-630.00")]
    assert balance_of(stay.resident_id) == Decimal("783.87") + Decimal("900.00") * 2 + Decimal("270.00")


def test_the_move_out_adjustment_is_posted_once(stay):
    rent_post_due(on=date(2026, 3, 1))
    discharge(stay, date(2026, 3, 10))
    rent_post_due(on=date(2026, 3, 11))
    rent_post_due(on=date(2026, 3, 12))
    assert len(credits_of(stay)) == 1


def test_a_weekly_stay_is_prorated_at_both_ends(house):
    make_policy(
        house, rent_amount=Decimal("175.00"), rent_period=RentPeriod.WEEKLY, rent_due_day=None, rent_due_weekday=4
    )
    stay = admit(house, date(2026, 3, 11))  # a Wednesday; the week began on Friday Mar 6
    rent_post_due(on=date(2026, 3, 13))
    discharge(stay, date(2026, 3, 17))  # nights Fri 13 - Mon 16: 4 of 7
    assert rent_of(stay) == [(date(2026, 3, 11), Decimal("50.00")), (date(2026, 3, 13), Decimal("175.00"))]
    # 175 x 2 / 7 = 50.00 at move-in; the full 175.00 of Mar 13 is cut to 175 x 4 / 7 = 100.00.
    assert credits_of(stay) == [Decimal("-75.00")]


def test_a_manager_override_applies_from_the_first_unbilled_night(stay, manager):
    rent_post_due(on=date(2026, 2, 1))
    schedule = rent_schedule_set(actor=manager, stay=stay, amount=Decimal("750.00"), note="Hardship")
    assert schedule.starts_on == date(2026, 6, 15)  # today: nothing is billed after Feb, so it starts now
    rent_post_due(on=date(2026, 7, 1))
    amounts = dict(rent_of(stay))
    assert amounts[date(2026, 6, 1)] == Decimal("420.00")  # 14 of 30 nights at 900: 420.00
    assert amounts[date(2026, 6, 15)] == Decimal("400.00")  # 16 of 30 nights at 750: 400.00
    assert amounts[date(2026, 7, 1)] == Decimal("750.00")


def test_an_override_splits_an_unbilled_period_without_counting_a_night_twice(stay, manager):
    rent_schedule_set(actor=manager, stay=stay, amount=Decimal("600.00"), starts_on=date(2026, 1, 20))
    rent_post_due(on=date(2026, 1, 31))
    # Jan 5-19 at 900: 15/31 -> 435.48; Jan 20-31 at 600: 12/31 -> 232.26.
    assert rent_of(stay) == [(date(2026, 1, 5), Decimal("435.48")), (date(2026, 1, 20), Decimal("232.26"))]


def test_an_override_cannot_rewrite_nights_already_billed(stay, manager):
    rent_post_due(on=date(2026, 3, 1))
    with pytest.raises(DomainError) as error:
        rent_schedule_set(actor=manager, stay=stay, amount=Decimal("500.00"), starts_on=date(2026, 3, 15))
    assert error.value.field == "starts_on"
    assert "Apr 1, 2026" in error.value.message
    assert RentSchedule.objects.filter(stay=stay).count() == 1


def test_reversed_nights_can_be_billed_again_under_new_terms(stay, manager):
    rent_post_due(on=date(2026, 3, 1))
    march = LedgerEntry.objects.get(stay=stay, kind=EntryKind.RENT, effective_on=date(2026, 3, 1))
    entry_reverse(actor=manager, entry=march, memo="March was agreed at 700")
    rent_schedule_set(actor=manager, stay=stay, amount=Decimal("700.00"), starts_on=date(2026, 3, 1))
    rent_post_due(on=date(2026, 3, 2))
    live = LedgerEntry.objects.live().filter(stay=stay, kind=EntryKind.RENT).order_by("effective_on")
    assert [(e.effective_on, e.amount) for e in live] == [
        (date(2026, 1, 5), Decimal("783.87")),
        (date(2026, 2, 1), Decimal("900.00")),
        (date(2026, 3, 1), Decimal("700.00")),
    ]


def test_an_override_may_change_the_period_and_due_day(stay, manager):
    rent_post_due(on=date(2026, 1, 5))
    rent_schedule_set(
        actor=manager,
        stay=stay,
        amount=Decimal("210.00"),
        period=RentPeriod.WEEKLY,
        due_weekday=0,
        starts_on=date(2026, 2, 1),
    )
    rent_post_due(on=date(2026, 2, 9))
    # Feb 1 is a Sunday: the Monday week Jan 26 - Feb 1 holds one night (30.00), then full weeks from Feb 2.
    assert rent_of(stay)[1:] == [
        (date(2026, 2, 1), Decimal("30.00")),
        (date(2026, 2, 2), Decimal("210.00")),
        (date(2026, 2, 9), Decimal("210.00")),
    ]


def test_an_override_needs_a_due_day_that_matches_its_period(stay, manager):
    with pytest.raises(DomainError) as error:
        rent_schedule_set(actor=manager, stay=stay, amount=Decimal("200"), period=RentPeriod.WEEKLY, due_day=3)
    assert error.value.field in {"due_weekday", "due_day"}


def test_a_schedule_for_a_house_without_defaults_needs_an_amount(house, manager):
    stay = admit(house, date(2026, 1, 5))
    with pytest.raises(DomainError) as error:
        rent_schedule_set(actor=manager, stay=stay)
    assert error.value.field == "period"


def test_a_day_31_due_date_follows_short_months(house):
    make_policy(house, rent_due_day=31)
    stay = admit(house, date(2026, 1, 31))
    rent_post_due(on=date(2026, 4, 30))
    assert [day for day, _amount in rent_of(stay)] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]
    assert {amount for _day, amount in rent_of(stay)} == {Decimal("900.00")}


def test_rent_follows_the_stay_to_its_current_house_after_a_transfer(stay, other_house, operator):
    from residents.core.services.stays import stay_transfer

    rent_post_due(on=date(2026, 1, 5))
    stay_transfer(actor=operator, stay=stay, bed=other_house.beds.first(), on=date(2026, 1, 20))
    rent_post_due(on=date(2026, 2, 1))
    houses = list(LedgerEntry.objects.filter(stay=stay).order_by("effective_on").values_list("house__name", flat=True))
    assert houses == ["Maple House", "Willow House"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_jobs_running_at_once_post_each_period_once(policy, house):
    stays = [admit(house, date(2026, 1, 5)) for _ in range(4)]
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            rent_post_due(on=date(2026, 3, 1))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for stay in stays:
        assert len(rent_of(stay)) == 3
    assert LedgerEntry.objects.filter(kind=EntryKind.RENT).count() == 12
