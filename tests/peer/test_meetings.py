from datetime import date

import pytest

from accounts.exceptions import Conflict, Invalid, NotAllowed
from peer.models import BusinessMeeting
from peer.services import meetings
from peer.services.meetings import carries
from residents.models import HouseMeeting, Stay
from tests.factories import free_bed
from tests.peer.conftest import TODAY, at, login, vote


def _motion(meeting, members, **fields):
    fields.setdefault("text", "Buy a new vacuum cleaner from the house account")
    return meetings.motion_make(
        actor=login(members.president), meeting=meeting, moved_by=members.treasurer, seconded_by=members.coordinator,
        **fields,
    )  # fmt: skip


def test_the_president_opens_the_weekly_meeting_and_is_present(peer_house, members):
    meeting = meetings.meeting_open(actor=login(members.president), house=peer_house, held_at=at(TODAY))
    assert (meeting.kind, list(meeting.present.all())) == ("weekly", [members.president])


def test_only_the_president_opens_the_weekly_meeting(peer_house, members):
    with pytest.raises(NotAllowed, match="president"):
        meetings.meeting_open(actor=login(members.secretary), house=peer_house, held_at=at(TODAY))


def test_any_officer_calls_an_emergency_meeting_with_its_reason(peer_house, members):
    meeting = meetings.meeting_open(
        actor=login(members.coordinator), house=peer_house, held_at=at(TODAY, 21), kind="emergency",
        reason="A member relapsed tonight",
    )  # fmt: skip
    assert (meeting.kind, meeting.called_by) == ("emergency", members.coordinator)


def test_an_emergency_meeting_without_a_reason_is_refused(peer_house, members):
    with pytest.raises(Invalid, match="why"):
        meetings.meeting_open(
            actor=login(members.coordinator), house=peer_house, held_at=at(TODAY), kind="emergency", reason=" "
        )
    assert not BusinessMeeting.objects.exists()


def test_one_meeting_of_a_house_is_open_at_a_time(peer_house, members, meeting):
    with pytest.raises(Conflict, match="Close the meeting"):
        meetings.meeting_open(
            actor=login(members.coordinator), house=peer_house, held_at=at(TODAY, 21), kind="emergency", reason="Leak"
        )


def test_a_motion_must_be_seconded_by_another_member_present(peer_house, members, meeting):
    with pytest.raises(Invalid, match="another member"):
        meetings.motion_make(
            actor=login(members.president), meeting=meeting, text="Paint the porch",
            moved_by=members.treasurer, seconded_by=members.treasurer,
        )  # fmt: skip


def test_a_general_motion_carries_with_more_than_half_of_those_present(peer_house, members, meeting):
    motion = _motion(meeting, members)
    vote(meeting, motion, dict.fromkeys(members.all[:4], "for"))
    decided = meetings.motion_decide(actor=login(members.president), motion=motion)
    assert (decided.outcome, decided.votes_for, decided.present_count, decided.threshold_percent) == (
        "carried", 4, 6, 50,
    )  # fmt: skip


def test_half_of_those_present_is_not_a_majority(peer_house, members, meeting):
    motion = _motion(meeting, members)
    vote(meeting, motion, dict.fromkeys(members.all[:3], "for") | dict.fromkeys(members.all[3:], "against"))
    assert meetings.motion_decide(actor=login(members.president), motion=motion).outcome == "failed"


@pytest.mark.parametrize(
    ("votes_for", "present", "percent", "carried"),
    [(4, 5, 80, True), (3, 5, 80, False), (8, 10, 80, True), (7, 9, 80, False), (3, 5, 50, True), (0, 0, 50, False)],
)
def test_the_threshold_is_a_share_of_the_members_present(votes_for, present, percent, carried):
    assert carries(votes_for=votes_for, present=present, threshold_percent=percent) is carried


def test_a_member_can_change_their_vote_until_the_count(peer_house, members, meeting):
    motion = _motion(meeting, members)
    vote(meeting, motion, {members.secretary: "against"})
    vote(meeting, motion, {members.secretary: "for"})
    assert meetings.vote_count(motion)["votes_for"] == 1


def test_a_member_cannot_vote_for_someone_else(peer_house, members, meeting):
    motion = _motion(meeting, members)
    with pytest.raises(NotAllowed):
        meetings.ballot_cast(actor=login(members.secretary), motion=motion, member=members.treasurer, choice="for")


def test_the_president_records_a_raised_hand(peer_house, members, meeting):
    motion = _motion(meeting, members)
    ballot = meetings.ballot_cast(
        actor=login(members.president), motion=motion, member=members.treasurer, choice="against"
    )
    assert (ballot.member, ballot.recorded_by) == (members.treasurer, members.president.membership.user)


def test_a_member_absent_from_the_meeting_cannot_vote(peer_house, members, meeting):
    meetings.meeting_attendance_set(actor=login(members.president), meeting=meeting, present=members.all[:5])
    motion = _motion(meeting, members)
    with pytest.raises(Invalid, match="present"):
        vote(meeting, motion, {members.all[5]: "for"})


def test_an_applicant_is_admitted_by_eighty_percent_of_those_present(peer_house, members, meeting, applicant):
    bed = free_bed(peer_house, on=date(2026, 3, 13))
    motion = _motion(meeting, members, kind="admission", text="Admit Sam O.", application=applicant, bed=bed,
                     move_in=date(2026, 3, 13))  # fmt: skip
    vote(meeting, motion, dict.fromkeys(members.all[:5], "for") | {members.all[5]: "against"})
    decided = meetings.motion_decide(actor=login(members.president), motion=motion)
    applicant.refresh_from_db()
    assert (decided.outcome, decided.threshold_percent, applicant.status) == ("carried", 80, "admitted")
    assert (decided.admitted_stay.house, decided.admitted_stay.move_in) == (peer_house, date(2026, 3, 13))


def test_an_applicant_short_of_the_threshold_is_declined_with_the_count(peer_house, members, meeting, applicant):
    bed = free_bed(peer_house, on=date(2026, 3, 13))
    motion = _motion(meeting, members, kind="admission", text="Admit Sam O.", application=applicant, bed=bed,
                     move_in=date(2026, 3, 13))  # fmt: skip
    vote(meeting, motion, dict.fromkeys(members.all[:4], "for") | dict.fromkeys(members.all[4:], "against"))
    meetings.motion_decide(actor=login(members.president), motion=motion)
    applicant.refresh_from_db()
    assert applicant.status == "declined"
    assert "4 for, 2 against, 0 abstaining, of 6 present" in applicant.decline_reason
    assert not Stay.objects.filter(resident__legal_last_name="Ortiz").exists()


def test_a_dismissal_for_relapse_ends_the_stay_with_its_reason(peer_house, members, meeting):
    stay = members.coordinator.stays.get()
    motion = _motion(meeting, members, kind="dismissal", text="Dismiss for relapse", stay=stay,
                     dismissal_reason="relapse", move_out=date(2026, 3, 12))  # fmt: skip
    vote(meeting, motion, dict.fromkeys(members.all[:5], "for"))
    meetings.motion_decide(actor=login(members.president), motion=motion)
    stay.refresh_from_db()
    assert (stay.move_out, stay.discharge_reason) == (date(2026, 3, 12), "relapse")
    assert "Dismissed by the house's vote (5 for" in stay.discharge_note


def test_a_counted_vote_cannot_be_changed(peer_house, members, meeting):
    motion = _motion(meeting, members)
    meetings.motion_decide(actor=login(members.president), motion=motion)
    with pytest.raises(Conflict, match="counted"):
        vote(meeting, motion, {members.secretary: "for"})


def test_closing_a_meeting_records_it_as_a_house_meeting(peer_house, members, meeting):
    closed = meetings.meeting_close(actor=login(members.president), meeting=meeting)
    house_meeting = HouseMeeting.objects.get()
    assert (closed.house_meeting, house_meeting.attendees.count()) == (house_meeting, 6)


def test_a_meeting_with_an_open_vote_cannot_close(peer_house, members, meeting):
    _motion(meeting, members)
    with pytest.raises(Conflict, match="open motion"):
        meetings.meeting_close(actor=login(members.president), meeting=meeting)


def test_only_the_secretary_writes_the_minutes(peer_house, members, meeting):
    with pytest.raises(NotAllowed, match="secretary"):
        meetings.meeting_minutes_write(actor=login(members.president), meeting=meeting, new_business="Porch")


def test_minutes_approved_at_the_next_meeting_are_locked(peer_house, members, meeting):
    secretary = login(members.secretary)
    meetings.meeting_minutes_write(actor=secretary, meeting=meeting, old_business="The porch light")
    meetings.meeting_close(actor=login(members.president), meeting=meeting)
    following = meetings.meeting_open(actor=login(members.president), house=peer_house, held_at=at(TODAY, 21))
    meetings.meeting_minutes_approve(actor=secretary, meeting=meeting, approved_at=following)
    with pytest.raises(Conflict, match="locked"):
        meetings.meeting_minutes_write(actor=secretary, meeting=meeting, old_business="Changed")
    meeting.refresh_from_db()
    assert meeting.old_business == "The porch light"


def test_minutes_cannot_be_approved_at_their_own_meeting(peer_house, members, meeting):
    with pytest.raises(Invalid):
        meetings.meeting_minutes_approve(actor=login(members.secretary), meeting=meeting, approved_at=meeting)
