from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import invitations
from accounts import services as account_services
from accounts.exceptions import Conflict, DomainError, Invalid, NotAllowed
from accounts.models import Membership, Role
from houses.models import Bed
from residents.core.services import stays
from residents.core.services.roles import require_staff
from residents.models import Resident, Stay


def _check_payer(resident: Resident) -> None:
    if resident.payer != Resident.Payer.SELF and not resident.payer_name.strip():
        raise Invalid(_("Name the family member, agency or voucher program."), field="payer_name")


def _require_staff_for(actor: Membership, resident: Resident) -> None:
    """Staff of the organization whose scope holds the resident (a manager: one who has lived in their houses, or
    the intake pool)."""
    require_staff(actor, organization_id=resident.organization_id)
    if not Resident.objects.visible_to(actor).filter(pk=resident.pk).exists():
        raise NotAllowed(_("Only an operator or a manager of this resident's house can do this."))


@transaction.atomic
def resident_create(*, actor: Membership, **fields) -> Resident:
    """Records a person in the actor's organization (the intake pool until admitted), as an operator or a manager.
    Someone other than the resident who pays (family, agency, voucher) must be named."""
    require_staff(actor, organization_id=actor.organization_id)
    resident = Resident(organization=actor.organization, **fields)
    _check_payer(resident)
    resident.save()
    return resident


@transaction.atomic
def resident_update(*, actor: Membership, resident: Resident, **changes) -> Resident:
    """Changes a resident's profile, as staff who may see the resident; the payer rule of ``resident_create``
    holds."""
    _require_staff_for(actor, resident)
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    for name, value in changes.items():
        setattr(resident, name, value)
    _check_payer(resident)
    resident.save(update_fields=list(changes))
    return resident


@transaction.atomic
def resident_admit_new(*, actor: Membership, bed: Bed, on: date, billed_from: date | None = None, **fields) -> Stay:
    """Records a new resident and admits them into ``bed`` from night ``on``, in one step: if the admission is
    refused, no resident is left behind. ``billed_from`` as for ``stays.stay_admit``."""
    resident = resident_create(actor=actor, **fields)
    return stays.stay_admit(actor=actor, resident=resident, bed=bed, on=on, billed_from=billed_from)


@transaction.atomic
def resident_grant_portal_login(*, actor: Membership, resident: Resident, email: str, base_url: str) -> Membership:
    """Invites the resident to the portal under ``email`` and links the (pending) login to their record. The login
    works only once the resident accepts the invitation e-mailed to them."""
    _require_staff_for(actor, resident)
    resident = Resident.objects.select_for_update(of=("self",)).select_related("membership").get(pk=resident.pk)
    if resident.membership is not None and resident.membership.is_pending:
        raise Conflict(
            _(
                "This resident has already been invited to the portal. Send the invitation again, or "
                "withdraw it to use "
                "another address."
            ),
            field="email",
        )
    if resident.membership_id is not None:
        raise Conflict(_("This resident already has a portal login."), field="email")
    try:
        membership = account_services.membership_invite(
            actor=actor,
            email=email,
            full_name=resident.legal_name,
            role=Role.RESIDENT,
            base_url=base_url,
            language=resident.preferred_language or "",  # the resident's language: the e-mail, then the portal
        )
    except DomainError as error:
        if not isinstance(error, Conflict) or actor.is_operator:
            raise
        # A manager sees only their own houses: saying the address already belongs to a member would tell them who
        # lives or works elsewhere in the organization.
        raise Conflict(
            _("This e-mail cannot be used for a portal login. Check it with the resident, or ask an operator."),
            field="email",
        ) from None
    resident.membership = membership
    if not resident.email:
        resident.email = membership.user.email
    resident.save(update_fields=["membership", "email"])
    return membership


def _pending_portal_login(resident: Resident) -> Membership:
    resident = Resident.objects.select_for_update(of=("self",)).select_related("membership").get(pk=resident.pk)
    if resident.membership is None or not resident.membership.is_pending:
        raise Conflict(_("This resident has no portal invitation waiting to be accepted."))
    return resident.membership


@transaction.atomic
def resident_portal_invitation_withdraw(*, actor: Membership, resident: Resident) -> None:
    """Takes back the resident's portal invitation: its link stops working and the resident has no login again."""
    invitations.invitation_withdraw(actor=actor, membership=_pending_portal_login(resident))


@transaction.atomic
def resident_portal_invitation_resend(*, actor: Membership, resident: Resident, base_url: str) -> Membership:
    """E-mails the resident's portal invitation again."""
    return invitations.invitation_resend(actor=actor, membership=_pending_portal_login(resident), base_url=base_url)
