"""A house's default rent terms, deposit and late-fee rule: the one way to set them (the operator page and the API).

What a change reaches: the rent terms and the deposit are copied onto a stay at admission
(``rent.rent_schedule_from_policy``, ``deposits.deposit_charge_at_admission``), so they apply to residents admitted
afterwards; a current stay keeps its own schedule. The late-fee rule is read by the daily late-fee job each day, so it
applies at once to every resident of the house (see ``late_fees``).
"""

from django.db import transaction

from accounts.models import User
from houses.models import House

from ..models import HouseBillingPolicy

POLICY_FIELDS = frozenset(
    {
        "rent_amount", "rent_period", "rent_due_weekday", "rent_due_day", "deposit_amount",
        "late_fee_kind", "late_fee_amount", "late_fee_percent", "late_fee_grace_days", "owing_alert_above",
        "rent_reminder_days",
    }
)  # fmt: skip


@transaction.atomic
def house_billing_policy_set(*, actor: User, house: House, **terms) -> HouseBillingPolicy:
    """Sets a house's billing policy, creating it the first time; ``terms`` are the policy's own field names, and
    those left out keep their current (or default) value.

    The model holds the rules (``HouseBillingPolicy.clean`` and its field checks). Raises Django's
    ``ValidationError`` keyed by those field names, and then writes nothing.
    """
    unknown = set(terms) - POLICY_FIELDS
    if unknown:
        raise TypeError(f"Not a policy term: {', '.join(sorted(unknown))}")
    # The house lock makes two first saves of one house take turns, so the second updates what the first created.
    house = House.objects.select_for_update().get(pk=house.pk)
    policy = HouseBillingPolicy.objects.filter(house=house).first() or HouseBillingPolicy(
        organization_id=house.organization_id, house=house
    )
    for name, value in terms.items():
        setattr(policy, name, value)
    policy.updated_by = actor
    policy.full_clean(exclude=["organization", "house", "updated_by"], validate_unique=False)
    policy.save()
    return policy
