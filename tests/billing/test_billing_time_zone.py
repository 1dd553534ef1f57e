"""The daily billing jobs take "today" where the houses are (America/Chicago), not the server's UTC date: at 11:30
p.m. on April 30 in Chicago it is already May 1 in UTC, and May's rent is not due yet."""

from datetime import date

import time_machine

from billing import tasks
from billing.models import EntryKind, LedgerEntry
from tests.clock import local_moment
from tests.factories import admit

MAY_1 = date(2026, 5, 1)


def _rent_for_may(stay):
    return LedgerEntry.objects.filter(stay=stay, kind=EntryKind.RENT, effective_on=MAY_1)


def test_late_on_the_last_evening_of_a_month_next_months_rent_is_not_posted_yet(policy, house):
    with time_machine.travel(local_moment(2026, 4, 30, 23, 30), tick=False):
        stay = admit(house, date(2026, 4, 1))
        tasks.post_rent_due.delay().get()
    assert not _rent_for_may(stay).exists()


def test_just_after_midnight_in_the_houses_time_zone_the_new_months_rent_is_posted(policy, house):
    with time_machine.travel(local_moment(2026, 4, 30, 23, 30), tick=False):
        stay = admit(house, date(2026, 4, 1))
        tasks.post_rent_due.delay().get()
    with time_machine.travel(local_moment(2026, 5, 1, 0, 5), tick=False):
        tasks.post_rent_due.delay().get()
    assert _rent_for_may(stay).get().amount == policy.rent_amount
