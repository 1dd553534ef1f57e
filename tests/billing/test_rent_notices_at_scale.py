"""The daily rent reminders read and record every house's notices together: the same queries for 2 houses as for
20, on the first run of the day and on a repeat that sends nothing."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from billing.models import LateFeeKind, ResidentNotice
from billing.services.rent import rent_post_due
from billing.tasks import send_rent_notices
from tests.clock import local_moment
from tests.factories import HouseFactory, admit

from .conftest import make_policy

# Measured with 2 houses.
FIRST_RUN_QUERIES = 14
REPEAT_QUERIES = 6


def _houses_with_rent_coming(organization, count):
    """``count`` houses with $900 due on the 1st, reminders 3 days ahead, and a resident in each since June 1."""
    for number in range(count):
        house = HouseFactory(organization=organization, name=f"Home {number:03d}", beds=1)
        make_policy(house, late_fee_kind=LateFeeKind.FLAT, late_fee_amount=Decimal("25.00"), rent_reminder_days=3)
        admit(house, date(2026, 6, 1))
    rent_post_due(on=date(2026, 6, 1), organization=organization)


@pytest.mark.parametrize("houses", [2, 20])
def test_the_reminders_take_the_same_queries_for_2_houses_as_for_20(
    organization, houses, django_assert_max_num_queries
):
    _houses_with_rent_coming(organization, houses)
    morning = local_moment(2026, 6, 28, 9)
    with time_machine.travel(morning, tick=True), django_assert_max_num_queries(FIRST_RUN_QUERIES):
        assert send_rent_notices(organization_id=organization.pk) == houses
    assert ResidentNotice.objects.filter(kind=ResidentNotice.Kind.RENT_UPCOMING).count() == houses


@pytest.mark.parametrize("houses", [2, 20])
def test_a_repeat_takes_the_same_queries_for_2_houses_as_for_20_and_sends_nothing(
    organization, houses, django_assert_max_num_queries
):
    _houses_with_rent_coming(organization, houses)
    with time_machine.travel(local_moment(2026, 6, 28, 9), tick=True):
        send_rent_notices(organization_id=organization.pk)
        mail.outbox = []
        with django_assert_max_num_queries(REPEAT_QUERIES):
            assert send_rent_notices(organization_id=organization.pk) == 0
    assert mail.outbox == []
