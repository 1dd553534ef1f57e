"""House meetings and outside recovery-meeting attendance: logging them, and verifying attendance.

Nothing is dated into a closed month (``accounts.closing``): its figures count the house meetings held and the
recovery meetings attended in it, so neither is logged into it, and a house meeting of a closed month keeps its time
and attendees (its minutes and facilitator can still be corrected).
"""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.calendar import local_date
from accounts.closing import refuse_closed_day
from accounts.exceptions import Conflict, Invalid
from accounts.models import Membership
from houses.models import House
from residents.core.selectors.nights import occupants, residents_of
from residents.core.services.roles import require_staff
from residents.models import BedAssignment, HouseMeeting, RecoveryMeetingAttendance, Resident

MeetingType = RecoveryMeetingAttendance.MeetingType


def _check_held_at(held_at: datetime) -> None:
    if timezone.is_naive(held_at):
        raise Invalid(_("Give the time with its time zone."), field="held_at")
    if held_at > timezone.now():
        raise Invalid(_("A meeting is logged once it has been held; this time is in the future."), field="held_at")


def _refuse_closed(house: House, held_at: datetime, *, what: str) -> None:
    day = local_date(held_at, house.organization)
    refuse_closed_day(organization_id=house.organization_id, on=day, field="held_at", what=what)


def _check_facilitator(house: House, facilitator: Membership | None, facilitator_name: str) -> None:
    if (facilitator is None) == (not facilitator_name):
        raise Invalid(
            _("Name who led the meeting: choose a member or type a name, not both."),
            field="facilitator_name" if facilitator is not None else "facilitator",
        )
    if facilitator is not None and (facilitator.organization_id != house.organization_id or not facilitator.is_active):
        raise Invalid(_("The facilitator must be an active member of the organization."), field="facilitator")


def _check_attendees(house: House, held_at: datetime, attendees: list[Resident]) -> None:
    """Attendees must live in the house on the meeting's date (the organization's calendar)."""
    day = local_date(held_at, house.organization)
    living = residents_of(house=house, night=day)
    strangers = [resident for resident in attendees if resident.pk not in living]
    if strangers:
        names = ", ".join(sorted(str(resident) for resident in strangers))
        raise Invalid(
            _("Only residents of %(name)s on %(day)s can attend its meeting; not %(names)s.")
            % {"name": house.name, "day": date_format(day, _("M j, Y")), "names": names},
            field="attendees",
        )


def _check_time_free(house: House, held_at: datetime, *, meeting: HouseMeeting | None = None) -> None:
    clash = HouseMeeting.objects.filter(house=house, held_at=held_at)
    if meeting is not None:
        clash = clash.exclude(pk=meeting.pk)
    if clash.exists():
        raise Conflict(_("%(name)s already has a meeting logged at this time.") % {"name": house.name}, field="held_at")


@transaction.atomic
def house_meeting_log(
    *,
    actor: Membership,
    house: House,
    held_at: datetime,
    facilitator: Membership | None = None,
    facilitator_name: str = "",
    attendees=(),
    minutes: str = "",
) -> HouseMeeting:
    """Logs a house meeting that has been held: its facilitator (a member or a name), attendees (residents living in
    the house on that date) and minutes. One meeting per house at a given time. Staff of the house only."""
    require_staff(actor, organization_id=house.organization_id, house=house)
    _check_held_at(held_at)
    _refuse_closed(house, held_at, what=_("a house meeting"))  # the organization first: the lock order of dated writes
    house = House.objects.select_for_update().select_related("organization").get(pk=house.pk)
    facilitator_name = (facilitator_name or "").strip()
    attendees = list(attendees)
    _check_facilitator(house, facilitator, facilitator_name)
    _check_attendees(house, held_at, attendees)
    _check_time_free(house, held_at)
    meeting = HouseMeeting.objects.create(
        organization_id=house.organization_id, house=house, held_at=held_at, facilitator=facilitator,
        facilitator_name=facilitator_name, minutes=minutes.strip(), created_by=actor.user,
    )  # fmt: skip
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def house_meeting_update(*, actor: Membership, meeting: HouseMeeting, **changes) -> HouseMeeting:
    """Corrects a logged meeting (time, facilitator, attendees, minutes) under the same rules as logging it.
    A meeting stays in its house. Staff of the house only."""
    meeting = HouseMeeting.objects.select_for_update().select_related("house__organization").get(pk=meeting.pk)
    house = meeting.house
    require_staff(actor, organization_id=house.organization_id, house=house)
    if "house" in changes and changes.pop("house").pk != house.pk:
        raise Invalid(_("A meeting cannot move to another house."), field="house")
    held_at = changes.pop("held_at", meeting.held_at)
    if "facilitator" in changes or "facilitator_name" in changes:
        meeting.facilitator = changes.pop("facilitator", None)
        meeting.facilitator_name = (changes.pop("facilitator_name", "") or "").strip()
    attendees = list(changes.pop("attendees")) if "attendees" in changes else list(meeting.attendees.all())
    if "minutes" in changes:
        meeting.minutes = (changes.pop("minutes") or "").strip()
    if changes:
        raise Invalid(_("This cannot be changed."), field=sorted(changes)[0])
    _check_held_at(held_at)
    before = set(meeting.attendees.values_list("pk", flat=True))
    if held_at != meeting.held_at or {resident.pk for resident in attendees} != before:
        _refuse_closed(house, meeting.held_at, what=_("a change to this meeting's time or attendees"))
        _refuse_closed(house, held_at, what=_("a house meeting"))
    _check_facilitator(house, meeting.facilitator, meeting.facilitator_name)
    _check_attendees(house, held_at, attendees)
    _check_time_free(house, held_at, meeting=meeting)
    meeting.held_at = held_at
    meeting.save()
    meeting.attendees.set(attendees)
    return meeting


def _night_of(resident: Resident, day: date) -> BedAssignment | None:
    """Where the resident slept on night ``day``: the bed assignment, with its stay and the bed's house."""
    return occupants(night=day).filter(stay__resident=resident).first()


@transaction.atomic
def recovery_meeting_record(
    *,
    actor: Membership,
    attended_on: date,
    meeting_type: str,
    resident: Resident | None = None,
    name: str = "",
    verified: bool = False,
) -> RecoveryMeetingAttendance:
    """Logs an outside recovery meeting a resident went to, against the stay they were living in on that date.

    A resident logs their own (the resident may be left out), always unverified. Staff log them for residents of the
    houses they run (operators: every house) and may mark them verified at once (they saw the signed sheet).
    The date cannot be in the future; an 'other' meeting must be named; the same meeting is logged once.
    """
    if actor.is_resident:
        own = Resident.objects.filter(membership=actor).first()
        if own is None or (resident is not None and resident.pk != own.pk):
            raise Invalid(_("Residents log their own meetings."), field="resident")
        if verified:
            raise Invalid(_("Only staff verify attendance."), field="verified")
        resident = own
    elif resident is None:
        raise Invalid(_("Choose the resident who attended."), field="resident")
    if resident.organization_id != actor.organization_id:
        raise Invalid(_("Choose a resident of this organization."), field="resident")
    if meeting_type not in MeetingType.values:
        raise Invalid(_("Choose the kind of meeting."), field="meeting_type")
    name = (name or "").strip()
    if meeting_type == MeetingType.OTHER and not name:
        raise Invalid(_("Say which meeting it was."), field="name")
    today = actor.organization.today()
    if attended_on > today:
        raise Invalid(_("A meeting is logged once it has been attended; this date is in the future."),
                          field="attended_on")  # fmt: skip
    refuse_closed_day(
        organization_id=resident.organization_id, on=attended_on, field="attended_on", what=_("a recovery meeting")
    )
    night = _night_of(resident, attended_on)
    if night is None:
        raise Invalid(
            _("%(resident)s did not live in one of the houses on %(attended_on)s.")
            % {"resident": resident, "attended_on": date_format(attended_on, _("M j, Y"))},
            field="attended_on",
        )
    stay = night.stay
    if actor.is_manager and night.bed.house_id not in actor.house_ids:
        raise Invalid(_("%(resident)s does not live in a house you run.") % {"resident": resident}, field="resident")
    duplicate = RecoveryMeetingAttendance.objects.filter(
        resident=resident, attended_on=attended_on, meeting_type=meeting_type, name__iexact=name
    )
    if duplicate.exists():
        raise Conflict(_("This meeting is already logged for that day."), field="attended_on")
    now = timezone.now()
    return RecoveryMeetingAttendance.objects.create(
        organization_id=resident.organization_id, resident=resident, stay=stay, attended_on=attended_on,
        meeting_type=meeting_type, name=name, created_by=actor.user,
        verified_by=actor.user if verified else None, verified_at=now if verified else None,
    )  # fmt: skip


@transaction.atomic
def recovery_meeting_verify(*, actor: Membership, attendance: RecoveryMeetingAttendance) -> RecoveryMeetingAttendance:
    """Staff of the resident's house confirm a logged meeting (a signed attendance sheet, a sponsor's call).
    Verifying twice changes nothing: the first verifier and time stay."""
    require_staff(actor, organization_id=attendance.organization_id, house=attendance.stay.house)
    attendance = RecoveryMeetingAttendance.objects.select_for_update().get(pk=attendance.pk)
    if attendance.is_verified:
        return attendance
    attendance.verified_by = actor.user
    attendance.verified_at = timezone.now()
    attendance.save(update_fields=["verified_by", "verified_at"])
    return attendance
