"""Grievances: filed by a resident, answered and closed by an operator.

States: open -> responded -> closed, or open -> closed with a response. A grievance goes only to operators;
house managers never see it (it may be about them). Each transition locks the row and re-checks the state, so two
operators answering at once cannot both record a response.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exceptions import Conflict, Invalid, NotAllowed
from accounts.models import Membership, Role
from residents.models import Grievance, Stay


def _required_text(value: str | None, *, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(_("This field may not be blank."), field=field)
    return value


@transaction.atomic
def grievance_file(
    *, actor: Membership, subject: str, details: str, about: str, staff_member: Membership | None = None
) -> Grievance:
    """A resident files a grievance about the house they live in now, its staff, or something else.

    Only a resident files, for themselves, while they have an open stay. A named staff member must be an active
    operator or manager of the same organization, and is named only when the grievance is about staff.
    """
    resident = getattr(actor, "resident", None) if actor.is_resident else None
    if resident is None:
        raise NotAllowed(_("Only a resident can file a grievance."))
    stay = Stay.objects.filter(resident=resident, move_out__isnull=True).first()
    if stay is None:
        raise Invalid(_("You need to be living in one of the houses to file a grievance here."))
    subject = _required_text(subject, field="subject")
    details = _required_text(details, field="details")
    if about not in Grievance.About.values:
        raise Invalid(_("Choose one of: %(join)s.") % {"join": ", ".join(Grievance.About.values)}, field="about")
    if staff_member is not None:
        if about != Grievance.About.STAFF:
            raise Invalid(_("Name a staff member only when the grievance is about staff."), field="staff_member")
        is_staff = staff_member.role in (Role.OPERATOR, Role.MANAGER) and staff_member.is_active
        if staff_member.organization_id != resident.organization_id or not is_staff:
            raise Invalid(_("Choose a staff member of this organization."), field="staff_member")
    return Grievance.objects.create(
        organization_id=resident.organization_id,
        resident=resident,
        house_id=stay.house_id,
        subject=subject,
        details=details,
        about=about,
        staff_member=staff_member,
        filed_by=actor.user,
    )


def _lock(actor: Membership, grievance: Grievance) -> Grievance:
    if not actor.is_operator or grievance.organization_id != actor.organization_id:
        raise NotAllowed(_("Only an operator answers grievances."))
    return Grievance.objects.select_for_update().get(pk=grievance.pk)


def _record_response(grievance: Grievance, *, actor: Membership, response: str, now) -> None:
    grievance.response = response
    grievance.responded_at = now
    grievance.responded_by = actor.user
    grievance.status = Grievance.Status.RESPONDED


def _record_close(grievance: Grievance, *, actor: Membership, now) -> None:
    grievance.closed_at = now
    grievance.closed_by = actor.user
    grievance.status = Grievance.Status.CLOSED


FIELDS = ["status", "response", "responded_at", "responded_by", "closed_at", "closed_by"]


@transaction.atomic
def grievance_respond(*, actor: Membership, grievance: Grievance, response: str, close: bool = False) -> Grievance:
    """An operator answers an open grievance, and may close it in the same step (open -> closed with a response).

    A grievance already answered or closed is refused (409): close an answered one instead.
    """
    grievance = _lock(actor, grievance)
    if grievance.status == Grievance.Status.CLOSED:
        raise Conflict(_("This grievance is closed; it can no longer be answered."), field="status")
    if grievance.status == Grievance.Status.RESPONDED:
        raise Conflict(_("This grievance has already been answered; close it when it is resolved."), field="status")
    response = _required_text(response, field="response")
    now = timezone.now()
    _record_response(grievance, actor=actor, response=response, now=now)
    if close:
        _record_close(grievance, actor=actor, now=now)
    grievance.save(update_fields=FIELDS)
    return grievance


@transaction.atomic
def grievance_close(*, actor: Membership, grievance: Grievance, response: str = "") -> Grievance:
    """An operator closes a grievance. An open one needs a response to close with; an answered one is closed as
    answered (a second response is refused, so the resident's record of what they were told never changes)."""
    grievance = _lock(actor, grievance)
    if grievance.status == Grievance.Status.CLOSED:
        raise Conflict(_("This grievance is already closed."), field="status")
    now = timezone.now()
    if grievance.status == Grievance.Status.OPEN:
        if not (response or "").strip():
            raise Invalid(_("An open grievance needs a response before it is closed."), field="response")
        _record_response(grievance, actor=actor, response=response.strip(), now=now)
    elif (response or "").strip():
        raise Invalid(_("This grievance has already been answered; close it without a new response."),
                          field="response")  # fmt: skip
    _record_close(grievance, actor=actor, now=now)
    grievance.save(update_fields=FIELDS)
    return grievance
