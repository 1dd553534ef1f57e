"""Setting a house's billing policy: one service for the operator page and the API, the model's rules."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from billing.models import HouseBillingPolicy
from billing.services.policies import house_billing_policy_set
from tests.factories import MembershipFactory

MONTHLY = {"rent_amount": Decimal("900.00"), "rent_period": "monthly", "rent_due_day": 1}


def test_the_first_set_creates_the_policy_in_the_houses_organization(operator, house):
    policy = house_billing_policy_set(actor=operator, house=house, **MONTHLY)
    assert (policy.organization, policy.house, policy.updated_by) == (house.organization, house, operator.user)
    assert (policy.late_fee_kind, policy.late_fee_grace_days, policy.deposit_amount) == ("none", 5, Decimal("0"))


def test_a_second_set_changes_the_same_policy_and_keeps_what_it_leaves_out(operator, house):
    # Another operator: only operators set billing terms.
    second_operator = MembershipFactory(organization=operator.organization, role="operator")
    first = house_billing_policy_set(actor=operator, house=house, **MONTHLY, deposit_amount=Decimal("300"))
    second = house_billing_policy_set(actor=second_operator, house=house, rent_amount=Decimal("950.00"))
    assert second.pk == first.pk
    assert HouseBillingPolicy.objects.count() == 1
    assert (second.rent_amount, second.deposit_amount, second.updated_by) == (
        Decimal("950.00"), Decimal("300.00"), second_operator.user,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"rent_amount": Decimal("0")}, "rent_amount"),
        ({"rent_period": "weekly"}, "rent_due_weekday"),
        ({"late_fee_kind": "flat"}, "late_fee_amount"),
        ({"late_fee_kind": "percent", "late_fee_percent": Decimal("101")}, "late_fee_percent"),
        ({"late_fee_grace_days": 61}, "late_fee_grace_days"),
        ({"late_fee_grace_days": -1}, "late_fee_grace_days"),
        ({"deposit_amount": Decimal("-1")}, "deposit_amount"),
    ],
)
def test_terms_the_model_refuses_are_named_and_nothing_is_written(operator, house, terms, field):
    with pytest.raises(ValidationError) as refused:
        house_billing_policy_set(actor=operator, house=house, **{**MONTHLY, **terms})
    assert field in refused.value.message_dict
    assert not HouseBillingPolicy.objects.exists()


def test_a_name_that_is_not_a_term_is_a_programming_error(operator, house):
    with pytest.raises(TypeError):
        house_billing_policy_set(actor=operator, house=house, **MONTHLY, organization=None)
