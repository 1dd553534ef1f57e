"""Meetings in the portal: logging an outside recovery meeting, the outside meeting log and house meetings attended."""

from datetime import timedelta

import pytest

from residents.models import RecoveryMeetingAttendance

from .portal_factories import attended_house_meeting, neighbour_in, outside_meeting, portal_client, stay_of


def _log(member, **data):
    return portal_client(member).submit("/portal/meetings/", data, button="Log this meeting")


def test_logging_a_meeting_records_it_unverified_and_says_so(resident_member):
    today = stay_of(resident_member).organization.today()
    data = {"attended_on": today.isoformat(), "meeting_type": "na", "name": "Just for Today"}
    response = portal_client(resident_member).submit("/portal/meetings/", data, button="Log this meeting", follow=True)
    assert response.redirect_chain == [("/portal/meetings/", 302)]
    attendance = RecoveryMeetingAttendance.objects.get()
    assert (attendance.resident, attendance.attended_on, attendance.meeting_type, attendance.name) == (
        resident_member.resident, today, "na", "Just for Today",
    )  # fmt: skip
    assert not attendance.is_verified
    page = response.content.decode()
    assert f"NA meeting on {today:%b %-d} logged." in page
    assert "Just for Today" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"days": -1, "meeting_type": "aa"}, "attended_on", "this date is in the future"),
        ({"days": 0, "meeting_type": "other", "name": ""}, "name", "Say which meeting it was."),
        ({"days": 0, "meeting_type": ""}, "meeting_type", "This field is required."),
        ({"days": 0, "meeting_type": "poker"}, "meeting_type", "Select a valid choice."),
        ({"date": "31/31/2026", "meeting_type": "aa"}, "attended_on", "Enter a valid date."),
        # Before the resident moved in (Jan 5, 2026), whatever today is.
        ({"date": "2025-12-31", "meeting_type": "aa"}, "attended_on", "did not live in one of the houses"),
    ],
)
def test_bad_input_is_shown_beside_its_field_keeps_what_was_typed_and_writes_nothing(
    resident_member, data, field, message
):
    today = stay_of(resident_member).organization.today()
    attended_on = data.pop("date", None) or (today - timedelta(days=data.pop("days"))).isoformat()
    response = _log(resident_member, attended_on=attended_on, name=data.pop("name", "Typed name"), **data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert response.context["form"]["attended_on"].value() == attended_on
    assert not RecoveryMeetingAttendance.objects.exists()


def test_the_same_meeting_twice_is_refused_beside_the_date(resident_member):
    stay = stay_of(resident_member)
    outside_meeting(stay, days_ago=0, name="Early Bird Group")
    today = stay.organization.today()
    response = _log(resident_member, attended_on=today.isoformat(), meeting_type="aa", name="Early Bird Group")
    assert response.status_code == 400
    assert response.context["form"].errors["attended_on"] == ["This meeting is already logged for that day."]
    assert RecoveryMeetingAttendance.objects.count() == 1


def test_the_meeting_log_and_house_meetings_show_only_the_residents_own(operator, house, resident_member):
    mine, theirs = stay_of(resident_member), stay_of(neighbour_in(operator, house))
    outside_meeting(mine, name="My home group")
    outside_meeting(theirs, name="Their home group")
    attended_house_meeting(mine, facilitator_name="Marcus")
    attended_house_meeting(theirs, days_ago=10, facilitator_name="Somebody else")
    response = portal_client(resident_member).get("/portal/meetings/")
    body = response.content.decode()
    assert [meeting.name for meeting in response.context["page_obj"]] == ["My home group"]
    assert [meeting.facilitator_name for meeting in response.context["house_meetings"]] == ["Marcus"]
    assert "Their home group" not in body
    assert "Somebody else" not in body


def test_empty_logs_say_what_happens_next(resident_member):
    body = portal_client(resident_member).get("/portal/meetings/").content.decode()
    assert "No outside meetings logged yet." in body
    assert "No house meetings recorded for you yet." in body
