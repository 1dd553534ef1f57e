"""Each house's random-testing policy: the share of residents drawn weekly, the days they have to test, whether the
weekly job draws the house at all, and whether a return from a pass asks for a test.

Operators set policies (``NotAllowed`` for anyone else). A house has at most one policy, and a policy stays with its
house; a house without one uses the model's defaults (``DrugTestPolicy.for_house``).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.exceptions import Invalid, NotAllowed
from accounts.models import Membership
from houses.models import House
from residents.models import DrugTestPolicy

CHANGEABLE = ("percentage", "due_days", "random_draws_enabled", "test_after_pass")


def _require_operator(actor: Membership, house: House) -> None:
    if not (actor.is_operator and actor.organization_id == house.organization_id):
        raise NotAllowed(_("Only an operator sets a house's drug-test policy."))


def _check(policy: DrugTestPolicy) -> None:
    if isinstance(policy.percentage, bool) or not isinstance(policy.percentage, int):
        raise Invalid(_("The percentage is a whole number from 1 to 100."), field="percentage")
    if not 1 <= policy.percentage <= 100:
        raise Invalid(_("The percentage is a whole number from 1 to 100."), field="percentage")
    if isinstance(policy.due_days, bool) or not isinstance(policy.due_days, int) or not 0 <= policy.due_days <= 6:
        raise Invalid(_("A drawn resident tests within the week: from 0 to 6 days."), field="due_days")


@transaction.atomic
def drug_test_policy_create(*, actor: Membership, house: House, **settings) -> DrugTestPolicy:
    """Sets the policy of a house that has none yet (``settings`` among ``CHANGEABLE``; the rest take the defaults).
    A second policy for the same house is refused beside ``house``: change that one instead."""
    _require_operator(actor, house)
    unknown = sorted(set(settings) - set(CHANGEABLE))
    if unknown:
        raise Invalid(_("This cannot be set here."), field=unknown[0])
    # Locks the house so two operators setting its first policy at once are served one after the other.
    house = House.objects.select_for_update().get(pk=house.pk)
    if DrugTestPolicy.objects.filter(house=house).exists():
        raise Invalid(_("This house already has a policy; change that one."), field="house")
    policy = DrugTestPolicy(organization_id=house.organization_id, house=house, **settings)
    _check(policy)
    policy.save()
    return policy


@transaction.atomic
def drug_test_policy_update(*, actor: Membership, policy: DrugTestPolicy, **changes) -> DrugTestPolicy:
    """Changes a policy's settings (``CHANGEABLE``); naming another house is refused beside ``house``."""
    policy = DrugTestPolicy.objects.select_for_update().select_related("house").get(pk=policy.pk)
    _require_operator(actor, policy.house)
    if "house" in changes and changes.pop("house").pk != policy.house_id:
        raise Invalid(_("A policy cannot move to another house."), field="house")
    unknown = sorted(set(changes) - set(CHANGEABLE))
    if unknown:
        raise Invalid(_("This cannot be changed."), field=unknown[0])
    for name, value in changes.items():
        setattr(policy, name, value)
    _check(policy)
    policy.save()
    return policy
