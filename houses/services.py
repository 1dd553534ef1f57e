from django.db import transaction

from accounts import services as account_services
from accounts.exceptions import DomainError
from accounts.models import Membership, Role, User


def house_assign_staff(*, actor: User, membership: Membership, houses) -> None:
    """Sets the houses a manager runs. Only managers run houses; every house must be of their organization."""
    houses = list(houses)
    if houses and membership.role != Role.MANAGER:
        raise DomainError("Only managers are assigned to houses.", field="houses")
    if any(house.organization_id != membership.organization_id for house in houses):
        raise DomainError("A house of another organization cannot be assigned.", field="houses")
    membership.houses.set(houses)


@transaction.atomic
def staff_invite(*, actor: Membership, email: str, full_name: str, role: str, houses=(), base_url: str) -> Membership:
    """Invites a person into the actor's organization and, for a manager, assigns their houses in the same step."""
    membership = account_services.membership_invite(
        actor=actor.user, organization=actor.organization, email=email, full_name=full_name, role=role,
        base_url=base_url,
    )  # fmt: skip
    house_assign_staff(actor=actor.user, membership=membership, houses=houses)
    return membership


@transaction.atomic
def staff_update(*, actor: Membership, membership: Membership, houses=None, **changes) -> Membership:
    membership = account_services.membership_update(actor=actor, membership=membership, **changes)
    if houses is not None:
        house_assign_staff(actor=actor.user, membership=membership, houses=houses)
    elif membership.role != Role.MANAGER:
        membership.houses.clear()
    return membership
