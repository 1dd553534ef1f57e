"""Meetings: the list and opening one, and the meeting runner: who is present, the minutes, motions with their live
count and each member's vote, elections, behaviour contracts, approving the last minutes and closing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.exceptions import DomainError, NotAllowed
from accounts.forms import valid_on_clock
from accounts.pages import paginate, refuse
from houses.models import Bed
from peer import forms
from peer.models import Ballot, BusinessMeeting, Motion, Office
from peer.selectors.access import applicants_for, meetings_for, motions_for
from peer.services import governance, meetings, money
from peer.services.meetings import MINUTES_FIELDS
from peer.views.common import member_page, members, render_house
from residents.models import Stay

# Forms the runner shows, each posted to its own URL; a refused one comes back with its errors (status 400).
RUNNER_FORMS = ("attendance", "minutes", "motion", "election", "contract", "approve")


def _meetings_page(request, member, *, form=None, status=200):
    tz = member.house.organization.tzinfo
    now = timezone.localtime(timezone.now(), tz).replace(second=0, microsecond=0)
    kind = BusinessMeeting.Kind.WEEKLY if member.holds(Office.PRESIDENT) else BusinessMeeting.Kind.EMERGENCY
    context = {
        "form": form or forms.MeetingOpenForm(initial={"held_at": now, "kind": kind}),
        "page_obj": paginate(request, meetings_for(viewer=request.viewer).filter(house=member.house), per_page=10),
        "may_open": member.is_officer,
        "applicants": applicants_for(viewer=request.viewer).filter(preferred_house=member.house),
        "may_invite": member.holds(Office.PRESIDENT),
    }
    return render_house(request, "peer/meetings.html", member, "meetings", context, status=status)


@member_page
def house_meetings(request, member):
    if request.method != "POST":
        return _meetings_page(request, member)
    form = forms.MeetingOpenForm(request.POST)
    if valid_on_clock(form, member.house.organization.tzinfo):
        try:
            meeting = meetings.meeting_open(actor=request.viewer, house=member.house, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Meeting opened. Mark who is present, then take up the agenda."))
            return redirect("peer-meeting", meeting_id=meeting.pk)
    return _meetings_page(request, member, form=form, status=400)


def _motion_rows(request, meeting, member):
    rows = []
    for motion in motions_for(viewer=request.viewer).filter(meeting=meeting):
        ballots = list(motion.ballots.all())
        rows.append(
            {
                "motion": motion,
                "for": sum(b.choice == Ballot.Choice.FOR for b in ballots),
                "against": sum(b.choice == Ballot.Choice.AGAINST for b in ballots),
                "abstain": sum(b.choice == Ballot.Choice.ABSTAIN for b in ballots),
                "mine": next((b.choice for b in ballots if b.member_id == member.resident.pk), None),
                "ballots": ballots,
            }
        )
    return rows


def _runner_forms(request, member, meeting, bound: dict) -> dict:
    house = member.house
    house_members = members(request)
    today = house.organization.today()
    made = {
        "attendance": lambda data: forms.AttendanceForm(
            data, members=house_members, initial={"present": list(meeting.present.all())}
        ),
        "minutes": lambda data: forms.MinutesForm(data, initial={f: getattr(meeting, f) for f in MINUTES_FIELDS}),
        "motion": lambda data: _motion_form(request, meeting, data),
        "election": lambda data: forms.ElectionForm(data, members=house_members, initial={"starts_on": today}),
        "contract": lambda data: forms.ContractForm(data, members=house_members),
        "approve": lambda data: _approve_form(data, meeting),
    }
    return {name: bound.get(name) or make(None) for name, make in made.items()}


def _motion_form(request, meeting, data):
    house = meeting.house
    today = house.organization.today()
    return forms.MotionForm(
        data,
        members=meeting.present.order_by("preferred_name", "legal_first_name"),
        applications=applicants_for(viewer=request.viewer),
        beds=Bed.objects.filter(house=house).order_by("label"),
        stays=Stay.objects.filter(house=house, move_out__isnull=True).select_related("resident"),
        initial={"move_in": today, "move_out": today},
    )


def _approve_form(data, meeting):
    unapproved = BusinessMeeting.objects.filter(
        house=meeting.house, closed_at__isnull=False, minutes_approved_at__isnull=True
    )
    return forms.ApproveMinutesForm(data, meetings=unapproved.order_by("-held_at"))


def _runner(request, member, meeting, *, bound=None, status=200):
    context = {
        "meeting": meeting,
        "present": list(meeting.present.order_by("preferred_name", "legal_first_name")),
        "motions": _motion_rows(request, meeting, member),
        "is_chair": meeting.is_open and (member.holds(Office.PRESIDENT) or meeting.called_by_id == member.resident.pk),
        "is_present": meeting.present.filter(pk=member.resident.pk).exists(),
        "forms": _runner_forms(request, member, meeting, bound or {}),
        "contracts": meeting.behaviour_contracts.select_related("member"),
        "elections": meeting.elections.select_related("resident"),
    }
    return render_house(request, "peer/meeting.html", member, "meetings", context, status=status)


def _meeting(request, meeting_id):
    return get_object_or_404(meetings_for(viewer=request.viewer), pk=meeting_id)


@member_page
def house_meeting(request, member, meeting_id):
    return _runner(request, member, _meeting(request, meeting_id))


def _act(request, member, meeting, name, form, act, done: str):
    """Runs a runner form's act: back to the runner with ``done`` said, or the runner with the form's errors."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, done)
            return redirect("peer-meeting", meeting_id=meeting.pk)
    return _runner(request, member, meeting, bound={name: form}, status=400)


def _refused(request, member, meeting, error: DomainError):
    """A button's act refused: another office's duty is the 403 page; anything else is said on the runner."""
    if isinstance(error, NotAllowed):
        raise PermissionDenied(error.message) from error
    messages.error(request, error.message)
    return _runner(request, member, meeting, status=400)


@require_POST
@member_page
def meeting_attendance(request, member, meeting_id):
    meeting = _meeting(request, meeting_id)
    form = forms.AttendanceForm(request.POST, members=members(request))

    def attend(data):
        meetings.meeting_attendance_set(actor=request.viewer, meeting=meeting, present=data["present"])

    return _act(request, member, meeting, "attendance", form, attend, _("Attendance saved."))


@require_POST
@member_page
def meeting_minutes(request, member, meeting_id):
    meeting = _meeting(request, meeting_id)
    form = forms.MinutesForm(request.POST)
    return _act(
        request,
        member,
        meeting,
        "minutes",
        form,
        lambda data: meetings.meeting_minutes_write(actor=request.viewer, meeting=meeting, **data),
        _("Minutes saved."),
    )


@require_POST
@member_page
def meeting_motion(request, member, meeting_id):
    meeting = _meeting(request, meeting_id)
    form = _motion_form(request, meeting, request.POST)

    def make(data):
        kind = data["kind"]
        fields = {"kind": kind, "text": data["text"], "moved_by": data["moved_by"], "seconded_by": data["seconded_by"]}
        if kind == Motion.Kind.ADMISSION:
            fields.update(application=data["application"], bed=data["bed"], move_in=data["move_in"])
        elif kind == Motion.Kind.DISMISSAL:
            fields.update(stay=data["stay"], dismissal_reason=data["dismissal_reason"], move_out=data["move_out"])
        meetings.motion_make(actor=request.viewer, meeting=meeting, **fields)

    return _act(request, member, meeting, "motion", form, make, _("Motion on the floor: the members present vote."))


@require_POST
@member_page
def motion_vote(request, member, meeting_id, motion_id):
    meeting = _meeting(request, meeting_id)
    motion = get_object_or_404(motions_for(viewer=request.viewer).filter(meeting=meeting), pk=motion_id)
    form = forms.VoteForm(request.POST)
    if form.is_valid():
        try:
            meetings.ballot_cast(
                actor=request.viewer, motion=motion, member=member.resident, choice=form.cleaned_data["choice"]
            )
        except DomainError as error:
            return _refused(request, member, meeting, error)
        choice = Ballot.Choice(form.cleaned_data["choice"]).label.lower()
        messages.success(request, _("Your vote is recorded: %(choice)s.") % {"choice": choice})
    return redirect("peer-meeting", meeting_id=meeting.pk)


@require_POST
@member_page
def motion_decide(request, member, meeting_id, motion_id):
    meeting = _meeting(request, meeting_id)
    motion = get_object_or_404(motions_for(viewer=request.viewer).filter(meeting=meeting), pk=motion_id)
    try:
        motion = meetings.motion_decide(actor=request.viewer, motion=motion)
    except DomainError as error:
        return _refused(request, member, meeting, error)
    tally = _("%(outcome)s: %(for)s for, %(against)s against, %(abstain)s abstaining, of %(present)s present.")
    messages.success(
        request,
        tally
        % {
            "outcome": motion.get_outcome_display(),
            "for": motion.votes_for,
            "against": motion.votes_against,
            "abstain": motion.abstentions,
            "present": motion.present_count,
        },
    )
    return redirect("peer-meeting", meeting_id=meeting.pk)


@require_POST
@member_page
def meeting_close(request, member, meeting_id):
    meeting = _meeting(request, meeting_id)
    try:
        meetings.meeting_close(actor=request.viewer, meeting=meeting)
    except DomainError as error:
        return _refused(request, member, meeting, error)
    messages.success(request, _("Meeting closed. The secretary can finish the minutes until the next meeting."))
    return redirect("peer-meeting", meeting_id=meeting.pk)


@require_POST
@member_page
def meeting_approve(request, member, meeting_id):
    meeting = _meeting(request, meeting_id)
    form = _approve_form(request.POST, meeting)

    def approve(data):
        meetings.meeting_minutes_approve(actor=request.viewer, meeting=data["minutes_of"], approved_at=meeting)

    return _act(request, member, meeting, "approve", form, approve, _("Minutes approved and locked."))


@require_POST
@member_page
def meeting_elect(request, member, meeting_id):
    meeting = _meeting(request, meeting_id)
    form = forms.ElectionForm(request.POST, members=members(request))

    def elect(data):
        governance.officer_elect(actor=request.viewer, house=member.house, meeting=meeting, **data)

    return _act(request, member, meeting, "election", form, elect, _("Election recorded."))


@require_POST
@member_page
def meeting_contract(request, member, meeting_id):
    meeting = _meeting(request, meeting_id)
    form = forms.ContractForm(request.POST, members=members(request))
    return _act(
        request,
        member,
        meeting,
        "contract",
        form,
        lambda data: money.behaviour_contract_record(actor=request.viewer, meeting=meeting, **data),
        _("Behaviour contract recorded."),
    )


@require_POST
@member_page
def applicant_invite(request, member, application_id):
    application = get_object_or_404(applicants_for(viewer=request.viewer), pk=application_id)
    try:
        meetings.applicant_invite(actor=request.viewer, application=application)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
        return _meetings_page(request, member, status=400)
    name = f"{application.first_name} {application.last_name}"
    messages.success(request, _("%(name)s is invited to interview at the next meeting.") % {"name": name})
    return redirect("peer-meetings")
