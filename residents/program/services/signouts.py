"""Signing residents out and in, and overnight passes: requests, decisions, cancellations and returns.

Residents act for themselves, at the present moment; staff (operators, managers of the house) act for any resident
of their houses and may record a time already past, as they do when copying the paper log. Each write locks the
stay, so two phones signing the same resident out at once are served one after the other.

Nothing staff enter after the fact is dated into a closed month (``accounts.closing``): a sign-out, a sign-in, a
return from a pass or a pass already taken. The closed-month check takes the organization's lock, so it runs before
the stay or pass is locked (the lock order of every dated write).
"""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.calendar import local_date
from accounts.closing import refuse_closed_day
from accounts.exceptions import Conflict, Invalid, NotAllowed
from accounts.models import Membership
from residents.core.selectors.nights import occupants
from residents.models import OvernightPass, SignOut, Stay
from residents.program.selectors.phases import phase_on, phase_timelines
from residents.program.services.phases import require_staff_of
from residents.signals import pass_returned


def _require_self_or_staff(actor: Membership, stay: Stay) -> None:
    if actor.is_resident:
        if stay.organization_id != actor.organization_id or stay.resident.membership_id != actor.pk:
            raise NotAllowed(_("Residents act only for themselves."))
        return
    require_staff_of(actor, stay.house)


def _lock_stay(stay: Stay) -> Stay:
    return (
        Stay.objects.select_for_update(of=("self",)).select_related("resident", "house", "organization").get(pk=stay.pk)
    )


def _moment(actor: Membership, at: datetime | None, field: str, *, what: str) -> datetime:
    """Now, or for staff a past moment they give (not in a closed month). Residents cannot choose the time: the log
    is their word now."""
    now = timezone.now()
    if at is None:
        return now
    if actor.is_resident:
        raise Invalid(_("Residents record the present time; only staff can enter another time."), field=field)
    if at > now:
        raise Invalid(_("This time is in the future."), field=field)
    day = local_date(at, actor.organization)
    refuse_closed_day(organization_id=actor.organization_id, on=day, field=field, what=what)
    return at


@transaction.atomic
def signout_create(
    *, actor: Membership, stay: Stay, destination: str, expected_return_at: datetime,
    signed_out_at: datetime | None = None,
) -> SignOut:  # fmt: skip
    """Signs a current resident out of the house they sleep in tonight (``nights``, the organization's today), which
    a transfer dated ahead has not changed yet. One open sign-out at a time: a second one is a conflict (409)."""
    _require_self_or_staff(actor, stay)
    at = _moment(actor, signed_out_at, "signed_out_at", what=_("a sign-out"))
    stay = _lock_stay(stay)
    if not stay.is_open:
        raise Invalid(_("Only a current resident can sign out."), field="stay")
    destination = (destination or "").strip()
    if not destination:
        raise Invalid(_("Say where the resident is going."), field="destination")
    if local_date(at, stay.organization) < stay.move_in:
        raise Invalid(_("A sign-out cannot be before move-in."), field="signed_out_at")
    if expected_return_at <= at:
        raise Invalid(_("The expected return must be after the sign-out."), field="expected_return_at")
    already = SignOut.objects.filter(stay=stay, signed_in_at__isnull=True).first()
    if already is not None:
        raise Conflict(
            _("%(resident)s is already signed out (to %(destination)s); sign them back in first.")
            % {"resident": stay.resident, "destination": already.destination}
        )
    last_return = (
        SignOut.objects.filter(stay=stay, signed_in_at__gt=at).order_by("-signed_in_at").values("signed_in_at").first()
    )
    if last_return is not None:
        raise Invalid(_("This overlaps an earlier sign-out that ended after it."), field="signed_out_at")
    # The house slept in tonight (a transfer dated ahead has already rewritten ``stay.house``).
    tonight = occupants(night=stay.organization.today()).filter(stay=stay).first()
    if tonight is None:
        raise Invalid(_("Only a resident sleeping in a house tonight can sign out."), field="stay")
    return SignOut.objects.create(
        organization_id=stay.organization_id, house_id=tonight.bed.house_id, stay=stay, destination=destination,
        signed_out_at=at, expected_return_at=expected_return_at, signed_out_by=actor.user,
    )  # fmt: skip


@transaction.atomic
def signout_sign_in(*, actor: Membership, stay: Stay, signed_in_at: datetime | None = None) -> SignOut:
    """Signs a resident back in, closing their open sign-out. With no open sign-out there is nothing to close (400)."""
    _require_self_or_staff(actor, stay)
    at = _moment(actor, signed_in_at, "signed_in_at", what=_("a sign-in"))
    stay = _lock_stay(stay)
    sign_out = SignOut.objects.filter(stay=stay, signed_in_at__isnull=True).first()
    if sign_out is None:
        raise Invalid(
            _("%(resident)s is not signed out, so there is nothing to sign in. Sign out first.")
            % {"resident": stay.resident}
        )
    if at < sign_out.signed_out_at:
        raise Invalid(_("The sign-in cannot be before the sign-out."), field="signed_in_at")
    sign_out.signed_in_at = at
    sign_out.signed_in_by = actor.user
    sign_out.save(update_fields=["signed_in_at", "signed_in_by"])
    return sign_out


@transaction.atomic
def pass_request(
    *, actor: Membership, stay: Stay, leave_on: date, return_on: date, destination: str, contact_phone: str
) -> OvernightPass:
    """Asks for an overnight pass: the nights from ``leave_on`` up to the night before ``return_on`` away.

    A resident asks for today or later; staff may also record a pass already taken. Passes of one stay that are
    waiting or approved do not overlap."""
    _require_self_or_staff(actor, stay)
    if not actor.is_resident:  # a resident's pass starts today or later
        refuse_closed_day(organization_id=actor.organization_id, on=leave_on, field="leave_on", what=_("a pass"))
    stay = _lock_stay(stay)
    if not stay.is_open:
        raise Invalid(_("Only a current resident can ask for a pass."), field="stay")
    if return_on <= leave_on:
        raise Invalid(_("The return date must be after the leave date."), field="return_on")
    if leave_on < stay.move_in:
        raise Invalid(_("A pass cannot start before move-in."), field="leave_on")
    if actor.is_resident and leave_on < stay.organization.today():
        raise Invalid(_("A pass cannot start in the past."), field="leave_on")
    destination, contact_phone = (destination or "").strip(), (contact_phone or "").strip()
    if not destination:
        raise Invalid(_("Say where the resident will stay."), field="destination")
    if not contact_phone:
        raise Invalid(_("Give a phone number to reach the resident there."), field="contact_phone")
    overlapping = OvernightPass.objects.filter(
        stay=stay,
        status__in=[OvernightPass.Status.REQUESTED, OvernightPass.Status.APPROVED],
        leave_on__lt=return_on,
        return_on__gt=leave_on,
    ).first()
    if overlapping is not None:
        raise Conflict(
            _("A pass from %(leave_on)s to %(return_on)s already covers these nights.")
            % {
                "leave_on": date_format(overlapping.leave_on, _("M j")),
                "return_on": date_format(overlapping.return_on, _("M j")),
            },
            field="leave_on",
        )
    return OvernightPass.objects.create(
        organization_id=stay.organization_id, house=stay.house, resident=stay.resident, stay=stay,
        leave_on=leave_on, return_on=return_on, destination=destination, contact_phone=contact_phone,
        requested_by=actor.user,
    )  # fmt: skip


def _lock_pass(pass_: OvernightPass) -> OvernightPass:
    return (
        OvernightPass.objects.select_for_update(of=("self",))
        .select_related("stay__organization", "stay__house", "resident")
        .get(pk=pass_.pk)
    )


def _require_waiting(pass_: OvernightPass) -> None:
    if pass_.status != OvernightPass.Status.REQUESTED:
        raise Conflict(_("This pass is already %(lower)s.") % {"lower": pass_.get_status_display().lower()})


def passes_used(*, stay: Stay, month: date) -> int:
    """Approved passes of the stay leaving in ``month``'s calendar month: what counts against the allowance."""
    return OvernightPass.objects.filter(
        stay=stay, status=OvernightPass.Status.APPROVED, leave_on__year=month.year, leave_on__month=month.month
    ).count()


@transaction.atomic
def pass_approve(*, actor: Membership, pass_: OvernightPass, reason: str = "", override: bool = False) -> OvernightPass:
    """Approves a waiting pass. It counts against the allowance of the phase in force on ``leave_on``, by the month
    it leaves in; beyond it, approval needs ``override`` and a reason, and the pass records that it went beyond.
    A stay with no phase has no allowance to count against."""
    require_staff_of(actor, pass_.house)
    _lock_stay(pass_.stay)  # two approvals for one resident must not both fit in the last free pass
    pass_ = _lock_pass(pass_)
    _require_waiting(pass_)
    reason = (reason or "").strip()
    phase = phase_on(phase_timelines([pass_.stay_id]).get(pass_.stay_id, []), pass_.leave_on)
    beyond = False
    if phase is not None:
        used = passes_used(stay=pass_.stay, month=pass_.leave_on)
        beyond = used >= phase.passes_per_month
        if beyond and not override:
            raise Invalid(
                _(
                    "%(resident)s has used %(used)s of the %(passes_per_month)s overnight passes "
                    "%(name)s allows in %(leave_on)s. To approve beyond the allowance, send "
                    "override=true with a reason."
                )
                % {
                    "resident": pass_.resident,
                    "used": used,
                    "passes_per_month": phase.passes_per_month,
                    "name": phase.name,
                    "leave_on": date_format(pass_.leave_on, _("F Y")),
                }
            )
        if beyond and not reason:
            raise Invalid(_("Give the reason for approving beyond the allowance."), field="reason")
    pass_.status = OvernightPass.Status.APPROVED
    pass_.allowance_overridden = beyond
    _record_decision(actor, pass_, reason)
    return pass_


@transaction.atomic
def pass_deny(*, actor: Membership, pass_: OvernightPass, reason: str) -> OvernightPass:
    """Denies a waiting pass; the resident is owed a reason."""
    require_staff_of(actor, pass_.house)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why the pass is denied."), field="reason")
    pass_ = _lock_pass(pass_)
    _require_waiting(pass_)
    pass_.status = OvernightPass.Status.DENIED
    _record_decision(actor, pass_, reason)
    return pass_


def _record_decision(actor: Membership, pass_: OvernightPass, reason: str) -> None:
    pass_.decided_by = actor.user
    pass_.decided_at = timezone.now()
    pass_.decision_reason = reason
    pass_.save(update_fields=["status", "allowance_overridden", "decided_by", "decided_at", "decision_reason"])


@transaction.atomic
def pass_cancel(*, actor: Membership, pass_: OvernightPass) -> OvernightPass:
    """Withdraws a pass that is waiting, or approved and not yet begun (a begun pass ends with its return)."""
    _require_self_or_staff(actor, pass_.stay)
    pass_ = _lock_pass(pass_)
    begun = pass_.leave_on <= pass_.stay.organization.today()
    if pass_.status == OvernightPass.Status.APPROVED and begun:
        raise Conflict(_("This pass has begun; record the resident's return instead."))
    if pass_.status not in (OvernightPass.Status.REQUESTED, OvernightPass.Status.APPROVED):
        raise Conflict(_("This pass is already %(lower)s.") % {"lower": pass_.get_status_display().lower()})
    pass_.status = OvernightPass.Status.CANCELLED
    pass_.save(update_fields=["status"])
    return pass_


@transaction.atomic
def pass_return(*, actor: Membership, pass_: OvernightPass, returned_at: datetime | None = None) -> OvernightPass:
    """Records that a resident is back from an approved pass and sends ``residents.signals.pass_returned``.

    Receivers run inside this transaction. The house setting "test residents returning from a pass" belongs to the
    drug-test module, which applies it by receiving this signal; nothing here depends on it."""
    _require_self_or_staff(actor, pass_.stay)
    at = _moment(actor, returned_at, "returned_at", what=_("a return from a pass"))
    pass_ = _lock_pass(pass_)
    if pass_.status != OvernightPass.Status.APPROVED:
        raise Invalid(
            _("Only an approved pass has a return; this one is %(lower)s.")
            % {"lower": pass_.get_status_display().lower()}
        )
    if pass_.returned_at is not None:
        raise Conflict(_("The return from this pass is already recorded."))
    if local_date(at, pass_.stay.organization) < pass_.leave_on:
        raise Invalid(_("The return cannot be before the pass began."), field="returned_at")
    pass_.returned_at = at
    pass_.return_recorded_by = actor.user
    pass_.save(update_fields=["returned_at", "return_recorded_by"])
    pass_returned.send(sender=OvernightPass, pass_=pass_, actor=actor)
    return pass_
