"""Business meetings of a peer-run house: opening one, who is present, the minutes, motions, votes and their count.

The president runs the weekly meeting; any officer may call an emergency meeting; the secretary keeps the minutes,
which the next meeting approves and so locks. A motion is moved and seconded by two members present; each member
present votes for, against or abstains (on their own phone, or the president records a raised hand); the president
closes the vote and the count decides it against the threshold that applied. An admission or a dismissal carried
takes effect in the same transaction as the count.
"""

from datetime import date, datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.calendar import local_date
from accounts.closing import refuse_closed_day
from accounts.exceptions import Conflict, Invalid, NotAllowed
from accounts.models import Membership
from houses.models import Bed, House
from peer.models import Ballot, BusinessMeeting, HouseCharter, Motion, Office
from peer.services.authority import (
    is_member,
    offices_held,
    require_member,
    require_office,
    require_officer,
    require_peer_run,
)
from residents.core.services.applications import application_accept_and_admit, application_move
from residents.core.services.stays import stay_discharge
from residents.models import Application, HouseMeeting, Resident, Stay

MINUTES_FIELDS = ("minutes_reading", "officer_reports", "old_business", "new_business")
# A general motion needs more than half of the members present.
MAJORITY = 50


def carries(*, votes_for: int, present: int, threshold_percent: int) -> bool:
    """Whether ``votes_for`` of ``present`` members reach ``threshold_percent``: at least that share, except the
    simple majority (50), which needs more than half. Abstaining and not voting count as not for."""
    if present == 0:
        return False
    if threshold_percent == MAJORITY:
        return votes_for * 2 > present
    return votes_for * 100 >= threshold_percent * present


def _lock(meeting: BusinessMeeting) -> BusinessMeeting:
    return BusinessMeeting.objects.select_for_update().select_related("house__organization").get(pk=meeting.pk)


def _require_open(meeting: BusinessMeeting) -> None:
    if not meeting.is_open:
        raise Conflict(_("This meeting is closed."), field="meeting")


@transaction.atomic
def meeting_open(
    *, actor: Membership, house: House, held_at: datetime, kind: str = BusinessMeeting.Kind.WEEKLY, reason: str = ""
) -> BusinessMeeting:
    """Opens a meeting of ``house`` at ``held_at``: the weekly one by the president, an emergency one (with its
    reason) by any officer. One meeting of a house is open at a time."""
    require_peer_run(house)
    if kind == BusinessMeeting.Kind.WEEKLY:
        chair = require_office(actor, house, Office.PRESIDENT)
    elif kind == BusinessMeeting.Kind.EMERGENCY:
        chair = require_officer(actor, house)
        if not reason.strip():
            raise Invalid(_("Say why the emergency meeting is called."), field="reason")
    else:
        raise Invalid(_("Choose a weekly or an emergency meeting."), field="kind")
    refuse_closed_day(
        organization_id=house.organization_id,
        on=local_date(held_at, house.organization),
        field="held_at",
        what=_("a meeting"),
    )
    house = House.objects.select_for_update().select_related("organization").get(pk=house.pk)
    still_open = BusinessMeeting.objects.filter(house=house, closed_at__isnull=True).first()
    if still_open is not None:
        day = date_format(timezone.localtime(still_open.held_at), _("M j, Y"))
        raise Conflict(_("Close the meeting of %(day)s first.") % {"day": day}, field="held_at")
    if BusinessMeeting.objects.filter(house=house, held_at=held_at).exists():
        raise Conflict(_("The house already has a meeting at that time."), field="held_at")
    meeting = BusinessMeeting.objects.create(
        organization_id=house.organization_id,
        house=house,
        kind=kind,
        held_at=held_at,
        called_by=chair,
        reason=reason.strip(),
        created_by=actor.user,
    )
    meeting.present.add(chair)
    return meeting


@transaction.atomic
def meeting_attendance_set(*, actor: Membership, meeting: BusinessMeeting, present) -> BusinessMeeting:
    """Sets who is present, as the meeting's chair (the president, or the officer who called an emergency meeting).
    Only members living in the house are present; attendance is fixed once a vote has been counted."""
    meeting = _lock(meeting)
    _require_chair(actor, meeting)
    _require_open(meeting)
    present = list(present)
    outsiders = [str(resident) for resident in present if not is_member(resident, meeting.house)]
    if outsiders:
        raise Invalid(
            _("Only the house's members are present at its meetings: %(names)s is not.")
            % {"names": ", ".join(outsiders)},
            field="present",
        )
    if meeting.motions.exclude(outcome=Motion.Outcome.OPEN).exists():
        raise Conflict(_("A vote has been counted at this meeting: who was present is fixed."), field="present")
    meeting.present.set(present)
    return meeting


def _require_chair(actor: Membership, meeting: BusinessMeeting) -> Resident:
    """The president runs the meeting; an emergency meeting is run by the officer who called it, or the president."""
    resident = require_officer(actor, meeting.house)
    today = meeting.house.organization.today()
    if Office.PRESIDENT in offices_held(resident, meeting.house, on=today) or meeting.called_by_id == resident.pk:
        return resident
    raise NotAllowed(_("Only the president (or the officer who called it) runs this meeting."))


@transaction.atomic
def meeting_minutes_write(*, actor: Membership, meeting: BusinessMeeting, **minutes) -> BusinessMeeting:
    """Writes the minutes, as the secretary, section by section (``MINUTES_FIELDS``). Approved minutes are locked."""
    meeting = _lock(meeting)
    require_office(actor, meeting.house, Office.SECRETARY)
    if meeting.minutes_locked:
        raise Conflict(_("These minutes were approved at a later meeting and are locked."), field="minutes")
    unknown = set(minutes) - set(MINUTES_FIELDS)
    if unknown:
        raise Invalid(_("Unknown section of the minutes."), field=sorted(unknown)[0])
    for field, text in minutes.items():
        setattr(meeting, field, (text or "").strip())
    meeting.save(update_fields=list(minutes))
    return meeting


@transaction.atomic
def meeting_minutes_approve(
    *, actor: Membership, meeting: BusinessMeeting, approved_at: BusinessMeeting
) -> BusinessMeeting:
    """Records, as the secretary, that the open meeting ``approved_at`` approved the minutes of the earlier, closed
    ``meeting`` of the same house. From then on they are locked."""
    meeting = _lock(meeting)
    require_office(actor, meeting.house, Office.SECRETARY)
    if approved_at.house_id != meeting.house_id or not approved_at.is_open:
        raise Invalid(_("Minutes are approved at an open meeting of the same house."), field="approved_at")
    if meeting.is_open or meeting.held_at >= approved_at.held_at:
        raise Invalid(_("Minutes are approved at a later meeting, once their own has closed."), field="meeting")
    if meeting.minutes_locked:
        raise Conflict(_("These minutes are already approved."), field="meeting")
    meeting.minutes_approved_at = approved_at
    meeting.save(update_fields=["minutes_approved_at"])
    return meeting


def _threshold(house: House, kind: str) -> int:
    charter = HouseCharter.objects.get(house=house)
    return {
        Motion.Kind.ADMISSION: charter.admission_percent,
        Motion.Kind.DISMISSAL: charter.dismissal_percent,
    }.get(kind, MAJORITY)


def _check_admission(house: House, application: Application | None, bed: Bed | None, move_in: date | None) -> None:
    if application is None or application.organization_id != house.organization_id:
        raise Invalid(_("Choose the applicant interviewed."), field="application")
    admissible = application.status == Application.Status.ACCEPTED or (
        Application.Status.ACCEPTED in Application.TRANSITIONS[application.status]
    )
    if not admissible:
        raise Conflict(
            _("An application that is %(status)s cannot be voted on.")
            % {"status": application.get_status_display().lower()},
            field="application",
        )
    if bed is None or bed.house_id != house.pk:
        raise Invalid(_("Choose a bed of this house."), field="bed")
    if move_in is None:
        raise Invalid(_("Give the night the applicant would move in."), field="move_in")


def _check_dismissal(house: House, stay: Stay | None, reason: str, move_out: date | None) -> None:
    if stay is None or stay.house_id != house.pk or not stay.is_open:
        raise Invalid(_("Choose a member living in the house."), field="stay")
    if reason not in Stay.DischargeReason.values:
        raise Invalid(_("Choose the reason for the dismissal."), field="dismissal_reason")
    if move_out is None:
        raise Invalid(_("Give the first night the member is away."), field="move_out")


@transaction.atomic
def motion_make(
    *,
    actor: Membership,
    meeting: BusinessMeeting,
    text: str,
    moved_by: Resident,
    seconded_by: Resident,
    kind: str = Motion.Kind.GENERAL,
    application: Application | None = None,
    bed: Bed | None = None,
    move_in: date | None = None,
    stay: Stay | None = None,
    dismissal_reason: str = "",
    move_out: date | None = None,
) -> Motion:
    """Puts a motion to an open meeting, as its chair: moved and seconded by two different members present. Its
    threshold is the charter's for an admission or a dismissal, more than half otherwise."""
    meeting = _lock(meeting)
    _require_chair(actor, meeting)
    _require_open(meeting)
    if not text.strip():
        raise Invalid(_("Say what the motion is."), field="text")
    present = set(meeting.present.values_list("pk", flat=True))
    if moved_by.pk not in present:
        raise Invalid(_("The member who moves a motion must be present."), field="moved_by")
    if seconded_by.pk not in present:
        raise Invalid(_("The member who seconds a motion must be present."), field="seconded_by")
    if moved_by.pk == seconded_by.pk:
        raise Invalid(_("A motion is seconded by another member."), field="seconded_by")
    fields = {}
    if kind == Motion.Kind.ADMISSION:
        _check_admission(meeting.house, application, bed, move_in)
        fields = {"application": application, "bed": bed, "move_in": move_in}
    elif kind == Motion.Kind.DISMISSAL:
        _check_dismissal(meeting.house, stay, dismissal_reason, move_out)
        fields = {"stay": stay, "dismissal_reason": dismissal_reason, "move_out": move_out}
    elif kind != Motion.Kind.GENERAL:
        raise Invalid(_("Choose the kind of motion."), field="kind")
    if meeting.motions.filter(outcome=Motion.Outcome.OPEN).exists():
        raise Conflict(_("Finish the vote on the motion before this one."), field="text")
    return Motion.objects.create(
        meeting=meeting,
        kind=kind,
        text=text.strip(),
        moved_by=moved_by,
        seconded_by=seconded_by,
        threshold_percent=_threshold(meeting.house, kind),
        **fields,
    )


@transaction.atomic
def ballot_cast(*, actor: Membership, motion: Motion, member: Resident, choice: str) -> Ballot:
    """Records ``member``'s vote on an open motion: by the member themself, or by the chair for a member present
    (a raised hand). A member may change their vote until the count."""
    motion = Motion.objects.select_for_update().select_related("meeting__house__organization").get(pk=motion.pk)
    meeting = motion.meeting
    voter = require_member(actor, meeting.house)
    if voter.pk != member.pk:
        _require_chair(actor, meeting)
    _require_open(meeting)
    if motion.outcome != Motion.Outcome.OPEN:
        raise Conflict(_("The vote on this motion has been counted."), field="motion")
    if not meeting.present.filter(pk=member.pk).exists():
        raise Invalid(_("Only members present vote."), field="member")
    if choice not in Ballot.Choice.values:
        raise Invalid(_("Vote for, against, or abstain."), field="choice")
    ballot, _created = Ballot.objects.update_or_create(
        motion=motion, member=member, defaults={"choice": choice, "recorded_by": actor.user}
    )
    return ballot


def vote_count(motion: Motion) -> dict[str, int]:
    """The live count of a motion: members present and the ballots so far, by choice."""
    counts = motion.ballots.aggregate(
        votes_for=Count("pk", filter=Q(choice=Ballot.Choice.FOR)),
        votes_against=Count("pk", filter=Q(choice=Ballot.Choice.AGAINST)),
        abstentions=Count("pk", filter=Q(choice=Ballot.Choice.ABSTAIN)),
    )
    return {"present_count": motion.meeting.present.count(), **counts}


@transaction.atomic
def motion_decide(*, actor: Membership, motion: Motion) -> Motion:
    """Closes the vote, as the chair: the count is recorded with the threshold that applied, and an admission or a
    dismissal carried takes effect now (a failed admission declines the application with the count)."""
    motion = Motion.objects.select_for_update().select_related("meeting__house__organization").get(pk=motion.pk)
    meeting = motion.meeting
    _require_chair(actor, meeting)
    _require_open(meeting)
    if motion.outcome != Motion.Outcome.OPEN:
        raise Conflict(_("The vote on this motion has already been counted."), field="motion")
    count = vote_count(motion)
    carried = carries(
        votes_for=count["votes_for"], present=count["present_count"], threshold_percent=motion.threshold_percent
    )
    for field, value in count.items():
        setattr(motion, field, value)
    motion.outcome = Motion.Outcome.CARRIED if carried else Motion.Outcome.FAILED
    motion.decided_at = timezone.now()
    tally = _("%(for)s for, %(against)s against, %(abstain)s abstaining, of %(present)s present") % {
        "for": count["votes_for"],
        "against": count["votes_against"],
        "abstain": count["abstentions"],
        "present": count["present_count"],
    }
    if motion.kind == Motion.Kind.ADMISSION:
        if carried:
            motion.admitted_stay = application_accept_and_admit(
                actor=actor, application=motion.application, bed=motion.bed, on=motion.move_in, by_house=True
            )
        elif Application.Status.DECLINED in Application.TRANSITIONS[motion.application.status]:
            application_move(
                actor=actor,
                application=motion.application,
                to=Application.Status.DECLINED,
                note=_("Not admitted by the house's vote (%(tally)s).") % {"tally": tally},
                by_house=True,
            )
    elif motion.kind == Motion.Kind.DISMISSAL and carried:
        stay_discharge(
            actor=actor,
            stay=motion.stay,
            on=motion.move_out,
            reason=motion.dismissal_reason,
            note=_("Dismissed by the house's vote (%(tally)s): %(motion)s") % {"tally": tally, "motion": motion.text},
            by_house=True,
        )
    motion.save()
    return motion


@transaction.atomic
def meeting_close(*, actor: Membership, meeting: BusinessMeeting) -> BusinessMeeting:
    """Closes the meeting, as its chair, once every vote is counted. The house's meeting record (``HouseMeeting``)
    is written with who was present, so the meeting counts wherever the house's meetings are counted."""
    meeting = _lock(meeting)
    chair = _require_chair(actor, meeting)
    _require_open(meeting)
    if meeting.motions.filter(outcome=Motion.Outcome.OPEN).exists():
        raise Conflict(_("Count the vote on the open motion before closing the meeting."), field="meeting")
    house_meeting = HouseMeeting.objects.create(
        organization_id=meeting.organization_id,
        house=meeting.house,
        held_at=meeting.held_at,
        facilitator=chair.membership if chair.membership_id else None,
        facilitator_name="" if chair.membership_id else chair.display_name,
        minutes=meeting.new_business,
        created_by=actor.user,
    )
    house_meeting.attendees.set(meeting.present.all())
    meeting.house_meeting = house_meeting
    meeting.closed_at = timezone.now()
    meeting.save(update_fields=["house_meeting", "closed_at"])
    return meeting


@transaction.atomic
def applicant_invite(*, actor: Membership, application: Application) -> Application:
    """Invites an applicant to the house to be interviewed at its next meeting, as the president (the one who runs
    the interviews). The application must ask for this house."""
    house = application.preferred_house
    if house is None:
        raise Invalid(_("This applicant asked for no house in particular."), field="application")
    require_peer_run(house)
    require_office(actor, house, Office.PRESIDENT)
    if application.status == Application.Status.INTERVIEW:
        raise Conflict(_("This applicant is already invited to an interview."), field="application")
    return application_move(
        actor=actor, application=application, to=Application.Status.INTERVIEW, note="Invited by the house's president",
        by_house=True,
    )  # fmt: skip
