"""Who may change residents' records: the organization's operators, and the managers of the house concerned."""

from django.utils.translation import gettext as _

from accounts.exceptions import NotAllowed
from accounts.models import Membership
from houses.models import House


def manages(actor: Membership, house: House) -> bool:
    """Whether ``actor`` is a manager of ``house`` now. Asked of the database, not ``house_ids``: that is cached on
    the membership, and houses change hands."""
    return actor.is_manager and actor.houses.filter(pk=house.pk).exists()


def require_staff(actor: Membership, *, organization_id: int, house: House | None = None) -> None:
    """Refuses (``NotAllowed``) anyone but an operator of the organization or, for an act about ``house``, a manager
    of that house (about no house in particular: any manager of the organization)."""
    allowed = actor.organization_id == organization_id and (
        actor.is_operator or (actor.is_manager and (house is None or manages(actor, house)))
    )
    if not allowed:
        raise NotAllowed(_("Only an operator or a manager of this house can do this."))


def require_staff_or_house(
    actor: Membership, *, organization_id: int, house: House | None = None, by_house: bool = False
) -> None:
    """``require_staff``, except for an act a peer-run house decides for itself (``by_house``): its members' vote
    or the officer whose duty it is, which the ``peer`` app checked. Only in a peer-run house of the organization."""
    if not by_house:
        require_staff(actor, organization_id=organization_id, house=house)
        return
    if actor.organization_id != organization_id or (house is not None and not house.is_peer_run):
        raise NotAllowed(_("Only the members of a peer-run house decide this for it."))
