"""Rules of house meetings and outside recovery-meeting attendance."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from accounts.exceptions import Conflict, DomainError, NotAllowed
from residents.meetings import services
from residents.models import HouseMeeting, RecoveryMeetingAttendance
from tests.factories import MembershipFactory, admit

from .chores_factories import discharge

DAY = timedelta(days=1)


@pytest.fixture
def today(organization):
    return organization.today()


def local(organization, day, hour=19):
    return datetime.combine(day, time(hour), tzinfo=organization.tzinfo)


@pytest.fixture
def member_resident(resident_member):
    return resident_member.resident


def log(house, actor, **fields):
    fields.setdefault("held_at", local(house.organization, house.organization.today() - 2 * DAY))
    fields.setdefault("facilitator_name", "Dave (house senior)")
    return services.house_meeting_log(actor=actor, house=house, **fields)


def test_a_house_meeting_is_logged_with_its_facilitator_attendees_and_minutes(house, manager, member_resident):
    meeting = log(house, manager, facilitator=manager, facilitator_name="", attendees=[member_resident],
                  minutes="Reviewed the chore chart.")  # fmt: skip
    assert meeting.facilitator_display == "Marcus Manager"
    assert list(meeting.attendees.all()) == [member_resident]
    assert (meeting.organization, meeting.created_by) == (house.organization, manager.user)


def test_a_resident_of_another_house_cannot_attend(house, other_house, manager, today):
    stranger = admit(other_house, on=today - 30 * DAY).resident
    with pytest.raises(DomainError) as error:
        log(house, manager, attendees=[stranger])
    assert error.value.field == "attendees"
    assert str(stranger) in error.value.message
    assert not HouseMeeting.objects.exists()


def test_a_resident_who_moved_out_before_the_meeting_cannot_attend(house, manager, today):
    stay = admit(house, on=today - 30 * DAY)
    discharge(stay, on=today - 5 * DAY)
    with pytest.raises(DomainError) as error:
        log(house, manager, attendees=[stay.resident])
    assert error.value.field == "attendees"


def test_a_resident_who_moved_out_after_the_meeting_did_attend(house, manager, today):
    stay = admit(house, on=today - 30 * DAY)
    discharge(stay, on=today - DAY)
    meeting = log(house, manager, attendees=[stay.resident])
    assert list(meeting.attendees.all()) == [stay.resident]


def test_a_resident_who_moved_in_after_the_meeting_cannot_attend(house, manager, today):
    newcomer = admit(house, on=today - DAY).resident
    with pytest.raises(DomainError):
        log(house, manager, attendees=[newcomer])


def test_the_meeting_date_is_the_organizations_calendar_day(house, manager, today, organization):
    newcomer = admit(house, on=today - DAY).resident
    # 01:30 UTC on the move-in day is still the evening before in Chicago.
    held_at = datetime.combine(today - DAY, time(1, 30), tzinfo=UTC)
    with pytest.raises(DomainError):
        log(house, manager, held_at=held_at, attendees=[newcomer])


def test_a_meeting_cannot_be_logged_before_it_is_held(house, manager):
    with pytest.raises(DomainError) as error:
        log(house, manager, held_at=timezone.now() + timedelta(hours=2))
    assert error.value.field == "held_at"


@pytest.mark.parametrize(
    ("use_member", "name", "field"), [(False, "", "facilitator"), (True, "Dave", "facilitator_name")]
)
def test_a_meeting_names_exactly_one_facilitator(house, manager, use_member, name, field):
    with pytest.raises(DomainError) as error:
        log(house, manager, facilitator=manager if use_member else None, facilitator_name=name)
    assert error.value.field == field


def test_a_facilitator_from_another_organization_is_refused(house, manager, outsider):
    with pytest.raises(DomainError) as error:
        log(house, manager, facilitator=outsider, facilitator_name="")
    assert error.value.field == "facilitator"


def test_a_resident_may_facilitate(house, manager, resident_member):
    assert log(house, manager, facilitator=resident_member, facilitator_name="").facilitator == resident_member


def test_one_meeting_per_house_at_a_time(house, manager):
    meeting = log(house, manager)
    with pytest.raises(Conflict) as error:
        log(house, manager, held_at=meeting.held_at)
    assert error.value.field == "held_at"


def test_correcting_attendees_follows_the_same_rule(house, other_house, manager, member_resident, today):
    meeting = log(house, manager, attendees=[member_resident])
    stranger = admit(other_house, on=today - 30 * DAY).resident
    with pytest.raises(DomainError) as error:
        services.house_meeting_update(actor=manager, meeting=meeting, attendees=[member_resident, stranger])
    assert error.value.field == "attendees"
    assert list(meeting.attendees.all()) == [member_resident]


# Outside recovery meetings.


def record(actor, **fields):
    fields.setdefault("attended_on", actor.organization.today() - DAY)
    fields.setdefault("meeting_type", "aa")
    fields.setdefault("name", "Tuesday Night Big Book, St. Mark's")
    return services.recovery_meeting_record(actor=actor, **fields)


def test_a_resident_logs_their_own_meeting_unverified(resident_member, member_resident):
    attendance = record(resident_member)
    assert (attendance.resident, attendance.stay.house.name) == (member_resident, "Maple House")
    assert attendance.verified_at is None
    assert attendance.verified_by is None
    assert attendance.created_by == resident_member.user


def test_a_resident_cannot_verify_their_own_meeting(resident_member):
    with pytest.raises(DomainError) as error:
        record(resident_member, verified=True)
    assert error.value.field == "verified"
    assert not RecoveryMeetingAttendance.objects.exists()


def test_a_resident_cannot_log_a_meeting_for_someone_else(resident_member, house, today):
    housemate = admit(house, on=today - 30 * DAY).resident
    with pytest.raises(DomainError) as error:
        record(resident_member, resident=housemate)
    assert error.value.field == "resident"


def test_staff_log_a_verified_meeting_for_a_resident_of_their_house(manager, member_resident):
    attendance = record(manager, resident=member_resident, verified=True)
    assert (attendance.verified_by, attendance.created_by) == (manager.user, manager.user)
    assert attendance.verified_at is not None


def test_staff_must_say_which_resident(manager):
    with pytest.raises(DomainError) as error:
        record(manager)
    assert error.value.field == "resident"


def test_a_manager_cannot_log_for_a_resident_of_a_house_they_do_not_run(manager, other_house, today):
    stranger = admit(other_house, on=today - 30 * DAY).resident
    with pytest.raises(DomainError) as error:
        record(manager, resident=stranger)
    assert error.value.field == "resident"


def test_an_operator_logs_for_any_house_of_the_organization(operator, other_house, today):
    stranger = admit(other_house, on=today - 30 * DAY).resident
    assert record(operator, resident=stranger).stay.house == other_house


def test_a_meeting_in_the_future_is_refused(resident_member, today):
    with pytest.raises(DomainError) as error:
        record(resident_member, attended_on=today + DAY)
    assert error.value.field == "attended_on"
    assert not RecoveryMeetingAttendance.objects.exists()


def test_a_meeting_today_is_accepted(resident_member, today):
    assert record(resident_member, attended_on=today).attended_on == today


def test_a_meeting_outside_any_stay_is_refused(resident_member, member_resident):
    move_in = member_resident.stays.get().move_in
    with pytest.raises(DomainError) as error:
        record(resident_member, attended_on=move_in - DAY)
    assert error.value.field == "attended_on"


def test_a_meeting_counts_toward_the_stay_it_happened_in(operator, house, today):
    first = admit(house, on=today - 90 * DAY)
    discharge(first, on=today - 60 * DAY)
    second = admit(house, on=today - 10 * DAY, resident=first.resident)
    assert record(operator, resident=first.resident, attended_on=today - 70 * DAY).stay == first
    assert record(operator, resident=first.resident, attended_on=today - 5 * DAY).stay == second


def test_an_other_meeting_must_be_named(resident_member):
    with pytest.raises(DomainError) as error:
        record(resident_member, meeting_type="other", name=" ")
    assert error.value.field == "name"


def test_the_same_meeting_is_logged_once(resident_member):
    record(resident_member)
    with pytest.raises(Conflict):
        record(resident_member)
    assert RecoveryMeetingAttendance.objects.count() == 1


def test_verifying_records_who_and_when_and_a_second_time_changes_nothing(resident_member, manager, operator):
    attendance = record(resident_member)
    first = services.recovery_meeting_verify(actor=manager, attendance=attendance)
    again = services.recovery_meeting_verify(actor=operator, attendance=attendance)
    assert (again.verified_by, again.verified_at) == (manager.user, first.verified_at)


def test_a_membership_without_a_resident_record_cannot_log(organization):
    lonely = MembershipFactory(organization=organization, role="resident")
    with pytest.raises(DomainError) as error:
        record(lonely)
    assert error.value.field == "resident"


def test_a_manager_cannot_log_a_meeting_of_a_house_they_do_not_run(other_house, manager):
    with pytest.raises(NotAllowed):
        log(other_house, manager)
    assert not HouseMeeting.objects.exists()
