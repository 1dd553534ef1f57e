"""A house's default rent terms, deposit and late-fee rule: the one way to set them (the operator page and the API).

What a change reaches: the rent terms and the deposit are copied onto a stay at admission
(``rent.rent_schedule_from_policy``, ``deposits.deposit_charge_at_admission``), so they apply to residents admitted
afterwards; a current stay keeps its own schedule. The late-fee rule is read by the daily late-fee job each day, so it
applies at once to every resident of the house (see ``late_fees``).
"""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import audit
from accounts.exceptions import Invalid, NotAllowed
from accounts.models import Membership
from houses.models import House

from ..models import HouseBillingPolicy
from ..selectors.policies import policy_words

POLICY_FIELDS = frozenset(
    {
        "rent_amount", "rent_period", "rent_due_weekday", "rent_due_day", "deposit_amount",
        "late_fee_kind", "late_fee_amount", "late_fee_percent", "late_fee_grace_days", "owing_alert_above",
        "rent_reminder_days",
    }
)  # fmt: skip


@transaction.atomic
def house_billing_policy_set(
    *,
    actor: Membership,
    house: House,
    policy: HouseBillingPolicy | None = None,
    new: bool = False,
    by_house: bool = False,
    **terms,
) -> HouseBillingPolicy:
    """Sets a house's billing policy, creating it the first time; ``terms`` are the policy's own field names, and
    those left out keep their current (or default) value. Operators of the house's organization only
    (``NotAllowed``): a manager runs the house but does not set its terms.

    ``policy``: the policy the caller means to change, which cannot move to another house; ``new``: the caller means
    to create one, and the house must not have one yet (both ``Invalid`` on ``house``). The model holds the terms'
    rules (``HouseBillingPolicy.clean`` and its field checks): Django's ``ValidationError`` keyed by those field
    names, and then nothing is written. The change is audited, with the terms now in force in plain words.

    ``by_house``: a peer-run house sets its own weekly share (the ``peer`` app checked the officer's duty).
    """
    unknown = set(terms) - POLICY_FIELDS
    if unknown:
        raise TypeError(f"Not a policy term: {', '.join(sorted(unknown))}")
    if by_house:
        if not (house.is_peer_run and actor.organization_id == house.organization_id):
            raise NotAllowed(_("Only the members of a peer-run house decide this for it."))
    elif not (actor.is_operator and actor.organization_id == house.organization_id):
        raise NotAllowed(_("Only an operator of the organization can set a house's billing terms."))
    if policy is not None and policy.house_id != house.pk:
        raise Invalid(_("A policy cannot move to another house."), field="house")
    # The house lock makes two first saves of one house take turns, so the second updates what the first created.
    house = House.objects.select_for_update().get(pk=house.pk)
    current = HouseBillingPolicy.objects.filter(house=house).first()
    if new and current is not None:
        raise Invalid(_("This house already has a billing policy; change that one."), field="house")
    policy = current or HouseBillingPolicy(organization_id=house.organization_id, house=house)
    before = {name: getattr(policy, name) for name in terms}
    for name, value in terms.items():
        setattr(policy, name, value)
    policy.updated_by = actor.user
    policy.full_clean(exclude=["organization", "house", "updated_by"], validate_unique=False)
    policy.save()
    _audit(actor, policy, created=current is None, changed=[n for n in terms if getattr(policy, n) != before[n]])
    return policy


def _audit(actor: Membership, policy: HouseBillingPolicy, *, created: bool, changed: list[str]) -> None:
    # Who set which house's terms, which fields changed, and the terms now in force, in plain words.
    with translation.override("en"):  # the audit log is kept in English
        detail = f"{policy.house.name}: {policy_words(policy, actor.organization.currency)}"
    if not created and changed:
        detail += f" ({audit.changed_fields(changed)})"
    action = audit.Action.CREATE if created else audit.Action.UPDATE
    audit.changed(actor=actor, action=action, instance=policy, detail=detail)
