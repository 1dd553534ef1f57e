"""A member pays their share online, like any resident's rent: through the portal's pay page and Stripe Checkout."""

from datetime import date
from decimal import Decimal

import time_machine

from billing.models import OnlinePayment
from billing.services.rent import rent_post_due
from peer.services import money
from tests.billing.online.conftest import stripe_settings, stripe_stand_in  # noqa: F401
from tests.peer.conftest import at, login


def test_a_member_pays_the_weeks_share_online(page, peer_house, members, stripe_stand_in):  # noqa: F811
    comptroller = login(members.comptroller)
    money.expected_expense_add(actor=comptroller, house=peer_house, kind="rent", payee="Landlord", amount="2600")
    money.share_set(actor=comptroller, house=peer_house, starts_on=date(2026, 3, 16))
    with time_machine.travel(at(date(2026, 3, 16), 18), tick=False):
        rent_post_due(on=date(2026, 3, 16))
        client = page(login(members.coordinator))
        assert "$75.00" in client.get("/portal/house/").content.decode()
        response = client.submit("/portal/pay/", {"amount": "75.00"}, button="Pay rent")
    assert response.status_code == 302
    assert response["Location"].startswith("https://checkout.stripe.com/")
    assert OnlinePayment.objects.get().amount == Decimal("75.00")
