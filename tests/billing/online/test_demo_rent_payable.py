"""The demo seeded at a fixed instant, the first day of a month just after midnight in the house (the day a "rent
period holding yesterday" is last month's): the demo resident owes rent that is past due, sees it first on the
portal home and can pay it online today. The clock is frozen there for the whole module, seed included."""

from datetime import datetime
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import time_machine

from accounts.models import Organization
from billing.models import OnlinePayment
from billing.selectors.balances import balance_of
from residents.models import Resident

INSTANT = datetime(2026, 3, 1, 0, 30, tzinfo=ZoneInfo("America/Chicago"))


@pytest.fixture(scope="module", autouse=True)
def frozen_clock():
    """Started before the module's demo seed (module-scoped autouse fixtures come first), so the seed and the tests
    read one clock; it ticks, as the seed's timestamps must follow one another."""
    with time_machine.travel(INSTANT, tick=True):
        yield


@pytest.fixture(autouse=True)
def today():
    """The demo is dated from the frozen clock above, not from the billing fixtures' day."""


@pytest.fixture
def demo_resident(demo_db):
    assert Organization.objects.get(slug="second-wind").today().isoformat() == "2026-03-01"
    return Resident.objects.get(membership__user__email="resident@example.com")


def test_the_demo_resident_sees_first_that_they_owe_rent_past_due_since_last_month(page, demo_resident):
    response = page(demo_resident.membership).get("/portal/")
    document = lxml.html.fromstring(response.content.decode())
    card = document.cssselect("main section.card")[0]
    words = " ".join(card.text_content().split())
    assert f"You owe ${balance_of(demo_resident.pk):,.2f}" in words
    assert "past due since Feb 1, 2026" in words
    first_task = document.cssselect("section[aria-labelledby='tasks-heading'] .task-list li .task-what")[0]
    assert first_task.text_content().startswith("Pay your rent: $")


def test_the_demo_resident_can_pay_what_they_owe_online_today(page, demo_resident, stripe_stand_in):
    owed = balance_of(demo_resident.pk)
    response = page(demo_resident.membership).submit("/portal/pay/", button="Pay rent")
    assert response.status_code == 302
    assert response.url.startswith("https://checkout.stripe.com/")
    assert OnlinePayment.objects.get(resident=demo_resident, status="created").amount == owed


def test_no_online_payment_of_the_demo_is_left_pending(demo_resident):
    held = {"resident__legal_last_name": "Whitaker"}  # demo/seed_pending_debit.py: left pending on purpose
    assert not OnlinePayment.objects.filter(status__in=["created", "pending"]).exclude(**held).exists()
