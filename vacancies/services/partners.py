"""Referral partners: the operator keeps them (who they are, which houses they see, their private link, their
logins), and a partner refers a person through its link or a referrer's login."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.exceptions import Invalid, NotAllowed, NotFound
from accounts.models import Membership, Role
from residents.core.services.applications import application_receive
from residents.models import Application, Resident

from ..models import Referral, ReferralPartner, new_token

# What the operator may set on a partner (the link has its own actions: it is rotated, enabled or disabled).
EDITABLE = frozenset({
    "name", "kind", "contact_name", "email", "phone", "digest_opt_in", "is_active",
})  # fmt: skip


def _require_operator(actor: Membership, partner: ReferralPartner | None = None) -> None:
    if partner is not None and partner.organization_id != actor.organization_id:
        raise NotFound(_("This partner belongs to another organization."))
    if not actor.is_operator:
        raise NotAllowed(_("Only an operator may manage referral partners."))


def _check_houses(actor: Membership, houses) -> list:
    houses = list(houses)
    if any(house.organization_id != actor.organization_id for house in houses):
        raise Invalid(_("Share only houses of your organization."), field="houses")
    return houses


def _save(partner: ReferralPartner, **kwargs) -> None:
    try:
        with transaction.atomic():
            partner.save(**kwargs)
    except IntegrityError:
        raise Invalid(_("Another partner already has this name."), field="name") from None


@transaction.atomic
def partner_create(*, actor: Membership, houses=(), **fields) -> ReferralPartner:
    """Adds a referral partner to the actor's organization (operators only), sharing ``houses`` with it. Its
    private link works from the start; nothing is sent to it until the operator opts it in to the digest."""
    _require_operator(actor)
    unknown = set(fields) - EDITABLE
    if unknown:
        raise Invalid(_("%(field)s cannot be set here.") % {"field": sorted(unknown)[0]}, field=sorted(unknown)[0])
    houses = _check_houses(actor, houses)
    partner = ReferralPartner(organization=actor.organization, **fields)
    _save(partner)
    partner.houses.set(houses)
    return partner


@transaction.atomic
def partner_update(*, actor: Membership, partner: ReferralPartner, houses=None, **changes) -> ReferralPartner:
    """Changes what the organization keeps about a partner and, when ``houses`` is given, the houses it sees."""
    _require_operator(actor, partner)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise Invalid(_("%(field)s cannot be changed here.") % {"field": sorted(unknown)[0]}, field=sorted(unknown)[0])
    partner = ReferralPartner.objects.select_for_update().get(pk=partner.pk)
    for name, value in changes.items():
        setattr(partner, name, value)
    _save(partner, update_fields=list(changes) or None)
    if houses is not None:
        partner.houses.set(_check_houses(actor, houses))
    return partner


@transaction.atomic
def partner_link_rotate(*, actor: Membership, partner: ReferralPartner) -> ReferralPartner:
    """Gives the partner a new private link: the old one stops working at once (a link passed on too widely)."""
    _require_operator(actor, partner)
    partner = ReferralPartner.objects.select_for_update().get(pk=partner.pk)
    partner.link_token = new_token()
    partner.save(update_fields=["link_token"])
    return partner


@transaction.atomic
def partner_link_set_enabled(*, actor: Membership, partner: ReferralPartner, enabled: bool) -> ReferralPartner:
    """Turns the private link on or off (the partner's logins are not affected)."""
    _require_operator(actor, partner)
    partner = ReferralPartner.objects.select_for_update().get(pk=partner.pk)
    partner.link_enabled = enabled
    partner.save(update_fields=["link_enabled"])
    return partner


@transaction.atomic
def partner_invite_referrer(
    *, actor: Membership, partner: ReferralPartner, email: str, full_name: str, base_url: str
) -> Membership:
    """Invites a person at the partner to a login with the role referrer (the organization's usual invitation: a
    pending membership and an e-mailed link); once they accept, they see this partner's pages and nothing else."""
    _require_operator(actor, partner)
    membership = account_services.membership_invite(
        actor=actor, email=email, full_name=full_name, role=Role.REFERRER, base_url=base_url
    )
    partner.members.add(membership)
    return membership


@transaction.atomic
def referral_submit(
    *,
    partner: ReferralPartner,
    first_name: str,
    last_name: str,
    referrer_name: str,
    referrer_email: str,
    consent_to_contact: bool,
    phone: str = "",
    email: str = "",
    preferred_house=None,
    preferred_move_in: date | None = None,
    on_moud: bool | None = None,
    payer: str = "",
    sobriety_date: date | None = None,
    notes: str = "",
) -> Referral:
    """A partner refers a person: the application enters the organization's pipeline as new, received from the
    partner, and the referral links it to the partner so it can follow its status. The caller has checked the
    partner's link or login. The person must have agreed to be contacted, and may ask only for a shared house."""
    partner = ReferralPartner.objects.select_related("organization").get(pk=partner.pk)
    if not partner.is_active:
        raise NotFound(_("This partner no longer refers people here."))
    if not consent_to_contact:
        raise Invalid(_("The person must agree to be contacted before they are referred."), field="consent_to_contact")
    if preferred_house is not None and not partner.houses.filter(pk=preferred_house.pk).exists():
        raise Invalid(_("Choose one of the houses shared with you, or any house."), field="preferred_house")
    application = application_receive(
        organization=partner.organization,
        received_via=Application.ReceivedVia.PARTNER,
        referred_by=Application.ReferredBy.PARTNER,
        referral_source=partner.name[:120],
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        email=email,
        preferred_house=preferred_house,
        preferred_move_in=preferred_move_in,
        on_moud=on_moud,
        payer=payer or Resident.Payer.SELF,
        sobriety_date=sobriety_date,
        notes=notes,
        consent_to_contact=True,
    )
    return Referral.objects.create(
        application=application, partner=partner, referrer_name=referrer_name, referrer_email=referrer_email
    )
