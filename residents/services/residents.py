from django.db import transaction

from accounts import services as account_services
from accounts.exceptions import Conflict
from accounts.models import Membership, Role
from residents.models import Resident


@transaction.atomic
def resident_grant_portal_login(*, actor: Membership, resident: Resident, email: str, base_url: str) -> Membership:
    """Invites the resident to the portal under ``email`` and links the login to their record."""
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if resident.membership_id is not None:
        raise Conflict("This resident already has a portal login.", field="email")
    membership = account_services.membership_invite(
        actor=actor.user,
        organization=actor.organization,
        email=email,
        full_name=resident.legal_name,
        role=Role.RESIDENT,
        base_url=base_url,
    )
    resident.membership = membership
    if not resident.email:
        resident.email = membership.user.email
    resident.save(update_fields=["membership", "email"])
    return membership
