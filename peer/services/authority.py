"""Who may act in a peer-run house: its members, and each office for exactly its duties.

A member is a resident sleeping in the house tonight; an officer is a member whose term of that office runs today.
The organization's operators set a house peer-run and may record its first officers; they run nothing else in it.
"""

from datetime import date

from django.utils.translation import gettext as _

from accounts.exceptions import Invalid, NotAllowed, NotFound
from accounts.models import Membership
from houses.models import House
from peer.models import Office, OfficerTerm
from residents.core.selectors.nights import residents_of
from residents.models import Resident


def require_peer_run(house: House) -> None:
    if not house.is_peer_run:
        raise Invalid(_("%(house)s is not a peer-run house.") % {"house": house.name}, field="house")


def member_of(actor: Membership) -> Resident | None:
    """The resident a member's login belongs to, if any."""
    if not actor.is_resident:
        return None
    return Resident.objects.filter(membership=actor).first()


def is_member(resident: Resident, house: House, *, today: date | None = None) -> bool:
    today = today or house.organization.today()
    return resident.pk in residents_of(house=house, night=today)


def require_member(actor: Membership, house: House) -> Resident:
    """The acting member's resident record, when they live in ``house`` now; otherwise the house does not exist for
    them (404), as for any house outside their scope."""
    if actor.organization_id == house.organization_id and actor.is_operator:
        raise NotAllowed(_("Only the house's members run a peer-run house."))
    resident = member_of(actor)
    if actor.organization_id != house.organization_id or resident is None or not is_member(resident, house):
        raise NotFound(_("No such house."))
    return resident


def offices_held(resident: Resident, house: House, *, on: date) -> set[str]:
    terms = OfficerTerm.objects.on(on).filter(house=house, resident=resident)
    return set(terms.values_list("office", flat=True))


def require_office(actor: Membership, house: House, *offices: str) -> Resident:
    """The acting member, when they hold one of ``offices`` in ``house`` today (403 otherwise: members may see what
    officers do, but only the officer may do it)."""
    resident = require_member(actor, house)
    if not offices_held(resident, house, on=house.organization.today()) & set(offices):
        names = ", ".join(str(Office(office).label).lower() for office in offices)
        raise NotAllowed(_("Only the house's %(offices)s can do this.") % {"offices": names})
    return resident


def require_officer(actor: Membership, house: House) -> Resident:
    return require_office(actor, house, *Office.values)


def require_operator(actor: Membership, house: House) -> None:
    if actor.organization_id != house.organization_id or not actor.is_operator:
        raise NotAllowed(_("Only an operator of the organization can do this."))
