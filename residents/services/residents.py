from datetime import date

from django.db import transaction

from accounts import services as account_services
from accounts.exceptions import Conflict, DomainError
from accounts.models import Membership, Role
from houses.models import Bed
from residents.models import Resident, Stay

from . import stays


def _check_payer(resident: Resident) -> None:
    if resident.payer != Resident.Payer.SELF and not resident.payer_name.strip():
        raise DomainError("Name the family member, agency or voucher program.", field="payer_name")


@transaction.atomic
def resident_create(*, actor: Membership, **fields) -> Resident:
    """Records a person in the actor's organization (the intake pool until admitted). Someone other than the
    resident who pays (family, agency, voucher) must be named."""
    resident = Resident(organization=actor.organization, **fields)
    _check_payer(resident)
    resident.save()
    return resident


@transaction.atomic
def resident_update(*, actor: Membership, resident: Resident, **changes) -> Resident:
    """Changes a resident's profile; the payer rule of ``resident_create`` holds."""
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    for name, value in changes.items():
        setattr(resident, name, value)
    _check_payer(resident)
    resident.save(update_fields=list(changes))
    return resident


@transaction.atomic
def resident_admit_new(*, actor: Membership, bed: Bed, on: date, **fields) -> Stay:
    """Records a new resident and admits them into ``bed`` from night ``on``, in one step: if the admission is
    refused, no resident is left behind."""
    resident = resident_create(actor=actor, **fields)
    return stays.stay_admit(actor=actor.user, resident=resident, bed=bed, on=on)


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
