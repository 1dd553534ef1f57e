"""Billing's staff services take the acting member and check what their role allows, whatever the channel."""

from datetime import date

import pytest

from accounts.exceptions import NotAllowed
from billing.services.ledger import charge_post, entry_reverse
from billing.services.payments import payment_record
from billing.services.policies import house_billing_policy_set
from tests.clock import local_moment, module_clock
from tests.factories import admit

_clock = module_clock(local_moment(2026, 6, 15))


@pytest.fixture
def elsewhere(other_house):
    """A resident of a house the manager does not run."""
    return admit(other_house, date(2026, 3, 1)).resident


def test_a_manager_cannot_charge_a_resident_of_a_house_they_do_not_run(manager, elsewhere):
    with pytest.raises(NotAllowed):
        charge_post(actor=manager, resident=elsewhere, kind="fine", amount="10", effective_on=date(2026, 6, 1))


def test_a_manager_cannot_record_a_payment_for_a_house_they_do_not_run(manager, elsewhere):
    with pytest.raises(NotAllowed):
        payment_record(actor=manager, resident=elsewhere, method="cash", amount="10", received_on=date(2026, 6, 1))


def test_a_manager_cannot_reverse_an_entry_of_a_house_they_do_not_run(operator, manager, elsewhere):
    entry = charge_post(actor=operator, resident=elsewhere, kind="fine", amount="10", effective_on=date(2026, 6, 1))
    with pytest.raises(NotAllowed):
        entry_reverse(actor=manager, entry=entry)


def test_a_charge_names_the_acting_members_account_as_its_author(manager, house):
    resident = admit(house, date(2026, 3, 1)).resident
    entry = charge_post(actor=manager, resident=resident, kind="fine", amount="10", effective_on=date(2026, 6, 1))
    assert entry.created_by == manager.user


def test_a_manager_cannot_set_the_billing_terms_of_a_house_they_do_not_run(manager, other_house):
    with pytest.raises(NotAllowed):
        house_billing_policy_set(actor=manager, house=other_house, rent_amount="900.00")


def test_a_manager_cannot_set_the_billing_terms_even_of_the_house_they_run(manager, house):
    with pytest.raises(NotAllowed):
        house_billing_policy_set(actor=manager, house=house, rent_amount="900.00")
