"""The meetings API: house meetings (staff) and recovery-meeting attendance (residents log their own)."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from residents.models import HouseMeeting, RecoveryMeetingAttendance
from tests.factories import HouseFactory, ResidentFactory, admit

from .chores_factories import house_meeting, log_attendance

DAY = timedelta(days=1)


@pytest.fixture
def today(organization):
    return organization.today()


def local(organization, day, hour=19):
    return datetime.combine(day, time(hour), tzinfo=organization.tzinfo).isoformat()


@pytest.fixture
def member_resident(resident_member):
    return resident_member.resident


# House meetings.


def test_staff_log_a_house_meeting(api, manager, house, member_resident, today, organization):
    body = {"house": house.pk, "held_at": local(organization, today - DAY), "facilitator": manager.pk,
            "attendees": [member_resident.pk], "minutes": "New chore chart. Curfew reminder."}  # fmt: skip
    response = api(manager).post("/api/v1/house-meetings/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["facilitator_display"] == "Marcus Manager"
    assert data["attendee_names"] == [member_resident.display_name]
    assert data["created_by"] == manager.user.pk


def test_an_attendee_who_does_not_live_in_the_house_is_a_400_and_nothing_is_written(
    api, manager, house, other_house, today, organization, member_resident
):
    stranger = admit(other_house, on=today - 30 * DAY).resident
    body = {"house": house.pk, "held_at": local(organization, today - DAY), "facilitator_name": "Dave",
            "attendees": [member_resident.pk, stranger.pk]}  # fmt: skip
    response = api(manager).post("/api/v1/house-meetings/", body, format="json")
    assert response.status_code == 400
    assert "attendees" in response.json()
    assert not HouseMeeting.objects.exists()


def test_a_resident_of_another_organization_is_not_an_attendee(api, operator, house, today, organization):
    foreigner = ResidentFactory()
    body = {"house": house.pk, "held_at": local(organization, today - DAY), "facilitator_name": "Dave",
            "attendees": [foreigner.pk]}  # fmt: skip
    response = api(operator).post("/api/v1/house-meetings/", body, format="json")
    assert response.status_code == 400
    assert "attendees" in response.json()
    assert not HouseMeeting.objects.exists()


def test_correcting_the_minutes(api, manager, house):
    meeting = house_meeting(house)
    response = api(manager).patch(f"/api/v1/house-meetings/{meeting.pk}/", {"minutes": "Fixed."}, format="json")
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.minutes == "Fixed."


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"held_at": "tomorrow"}, "held_at"),
        ({"held_at": "future"}, "held_at"),
        ({"facilitator_name": ""}, "facilitator"),
        ({"facilitator": "outsider"}, "facilitator"),
        ({"facilitator": 999999}, "facilitator"),
        ({"attendees": [999999]}, "attendees"),
        ({"attendees": "everyone"}, "attendees"),
        ({"house": "foreign"}, "house"),
        ({"minutes": "x\x00"}, "minutes"),
        ({"agenda": "Chores"}, "agenda"),
    ],
)
def test_bad_house_meeting_input_is_named_and_writes_nothing(
    api, manager, house, outsider, foreign_house, today, organization, change, field
):
    body = {"house": house.pk, "held_at": local(organization, today - DAY), "facilitator_name": "Dave"}
    replacements = {
        "tomorrow": "2026-02-30T19:00:00Z",
        "future": (timezone.now() + timedelta(hours=3)).isoformat(),
        "outsider": outsider.pk,
        "foreign": foreign_house.pk,
    }
    body.update({key: replacements.get(value, value) if isinstance(value, str) else value
                 for key, value in change.items()})  # fmt: skip
    response = api(manager).post("/api/v1/house-meetings/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not HouseMeeting.objects.exists()


def test_house_meetings_filter_by_house_and_date_range(api, operator, house, other_house, organization, today):
    ours = [house_meeting(house, days_ago=days) for days in (1, 8, 15)]
    house_meeting(other_house, days_ago=8)
    client = api(operator)

    def ids(query):
        response = client.get(f"/api/v1/house-meetings/?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(f"house={house.pk}") == {meeting.pk for meeting in ours}
    first_day = timezone.localtime(ours[1].held_at, organization.tzinfo).date()
    assert ids(f"house={house.pk}&held_from={first_day}&held_to={first_day}") == {ours[1].pk}
    assert ids(f"held_from={first_day + DAY}") == {ours[0].pk}
    rows = client.get("/api/v1/house-meetings/?ordering=held_at").json()["results"]
    assert [row["held_at"] for row in rows] == sorted(row["held_at"] for row in rows)


def test_a_resident_cannot_read_house_meetings(api, resident_member, house):
    meeting = house_meeting(house)
    assert api(resident_member).get("/api/v1/house-meetings/").status_code == 403
    assert api(resident_member).get(f"/api/v1/house-meetings/{meeting.pk}/").status_code == 403


# Outside recovery meetings.


def test_a_resident_logs_their_own_meeting_from_the_portal(api, resident_member, member_resident, today):
    body = {"attended_on": str(today - DAY), "meeting_type": "na", "name": "Clean and Serene, Grace Church"}
    response = api(resident_member).post("/api/v1/recovery-meetings/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["resident"], data["verified"], data["verified_by"]) == (member_resident.pk, False, None)
    assert data["house_name"] == "Maple House"


def test_a_resident_asking_to_verify_their_own_meeting_is_a_400(api, resident_member, today):
    body = {"attended_on": str(today - DAY), "meeting_type": "aa", "verified": True}
    response = api(resident_member).post("/api/v1/recovery-meetings/", body, format="json")
    assert response.status_code == 400
    assert "verified" in response.json()
    assert not RecoveryMeetingAttendance.objects.exists()


def test_a_future_meeting_date_is_a_400_and_nothing_is_written(api, resident_member, today):
    body = {"attended_on": str(today + DAY), "meeting_type": "aa"}
    response = api(resident_member).post("/api/v1/recovery-meetings/", body, format="json")
    assert response.status_code == 400
    assert "attended_on" in response.json()
    assert not RecoveryMeetingAttendance.objects.exists()


def test_staff_verify_a_residents_meeting(api, manager, member_resident, today):
    attendance = log_attendance(member_resident.stays.get(), attended_on=today - DAY)
    response = api(manager).post(f"/api/v1/recovery-meetings/{attendance.pk}/verify/")
    assert response.status_code == 200
    data = response.json()
    assert (data["verified"], data["verified_by"]) == (True, manager.user.pk)
    assert data["verified_by_name"] == "Marcus Manager"


def test_a_resident_sees_only_their_own_meetings(api, resident_member, member_resident, house, today):
    own = log_attendance(member_resident.stays.get(), attended_on=today - DAY)
    housemate = admit(house, on=today - 30 * DAY)
    theirs = log_attendance(housemate, attended_on=today - DAY)
    client = api(resident_member)
    assert [row["id"] for row in client.get("/api/v1/recovery-meetings/").json()["results"]] == [own.pk]
    assert client.get(f"/api/v1/recovery-meetings/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/recovery-meetings/?resident={housemate.resident_id}").status_code == 400


def test_a_resident_cannot_verify(api, resident_member, member_resident, today):
    own = log_attendance(member_resident.stays.get(), attended_on=today - DAY)
    assert api(resident_member).post(f"/api/v1/recovery-meetings/{own.pk}/verify/").status_code == 403
    own.refresh_from_db()
    assert own.verified_at is None


def test_recovery_meetings_filter_by_resident_house_type_dates_and_verified(
    api, operator, manager, house, other_house, member_resident, today
):
    stay = member_resident.stays.get()
    aa = log_attendance(stay, attended_on=today - DAY, meeting_type="aa", verified_by=manager.user)
    smart = log_attendance(stay, attended_on=today - 8 * DAY, meeting_type="smart", name="SMART at the library")
    elsewhere = log_attendance(admit(other_house, on=today - 30 * DAY), attended_on=today - 2 * DAY)
    client = api(operator)

    def ids(query):
        response = client.get(f"/api/v1/recovery-meetings/?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(f"resident={member_resident.pk}") == {aa.pk, smart.pk}
    assert ids(f"house={other_house.pk}") == {elsewhere.pk}
    assert ids("meeting_type=smart") == {smart.pk}
    assert ids(f"attended_from={today - 3 * DAY}&attended_to={today - 2 * DAY}") == {elsewhere.pk}
    assert ids("verified=true") == {aa.pk}
    assert ids("verified=false") == {smart.pk, elsewhere.pk}
    assert ids("search=library") == {smart.pk}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"attended_on": "yesterday"}, "attended_on"),
        ({"attended_on": None}, "attended_on"),
        ({"meeting_type": "church"}, "meeting_type"),
        ({"meeting_type": "other", "name": ""}, "name"),
        ({"resident": None}, "resident"),
        ({"resident": 999999}, "resident"),
        ({"resident": "stranger"}, "resident"),
        ({"name": "x" * 201}, "name"),
        ({"verified": "perhaps"}, "verified"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_recovery_meeting_input_is_named_and_writes_nothing(
    api, manager, member_resident, other_house, today, change, field
):
    stranger = admit(other_house, on=today - 30 * DAY).resident
    body = {"resident": member_resident.pk, "attended_on": str(today - DAY), "meeting_type": "aa"}
    body.update({key: stranger.pk if value == "stranger" else value for key, value in change.items()})
    response = api(manager).post("/api/v1/recovery-meetings/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not RecoveryMeetingAttendance.objects.exists()


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/v1/house-meetings/", "held_from=soon", "held_from"),
        ("/api/v1/house-meetings/", "house=abc", "house"),
        ("/api/v1/recovery-meetings/", "meeting_type=church", "meeting_type"),
        ("/api/v1/recovery-meetings/", "verified=perhaps", "verified"),
        ("/api/v1/recovery-meetings/", "attended_to=2026-02-30", "attended_to"),
        ("/api/v1/recovery-meetings/", "ordering=resident__membership", "ordering"),
    ],
)
def test_bad_meeting_filters_are_named(api, operator, path, query, field):
    response = api(operator).get(f"{path}?{query}")
    assert response.status_code == 400
    assert field in response.json()


# Query counts: every list costs the same whatever it holds.


def _grow(organization, manager, houses):
    today = organization.today()
    for _ in range(houses):
        place = HouseFactory(organization=organization, beds=3)
        manager.houses.add(place)
        stays = [admit(place, on=today - 30 * DAY) for _ in range(3)]
        for days in (2, 9):
            house_meeting(place, days_ago=days, attendees=[stay.resident for stay in stays])
        for stay in stays:
            log_attendance(stay, attended_on=today - DAY, verified_by=manager.user)
            log_attendance(stay, attended_on=today - 2 * DAY, meeting_type="na")


@pytest.mark.parametrize("path", ["/api/v1/house-meetings/", "/api/v1/recovery-meetings/"])
@pytest.mark.parametrize("role", ["operator", "manager"])
def test_a_meetings_list_runs_a_constant_number_of_queries(
    request, api, organization, manager, role, path, django_assert_max_num_queries
):
    client = api(request.getfixturevalue(role))
    _grow(organization, manager, 1)
    with django_assert_max_num_queries(8) as small:
        client.get(path + "?page_size=200")
    _grow(organization, manager, 5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(path + "?page_size=200")
    assert response.json()["count"] >= 12


def test_a_residents_meeting_list_runs_a_constant_number_of_queries(
    api, resident_member, member_resident, today, django_assert_max_num_queries
):
    client = api(resident_member)
    stay = member_resident.stays.get()
    log_attendance(stay, attended_on=today - DAY)
    with django_assert_max_num_queries(8) as small:
        client.get("/api/v1/recovery-meetings/?page_size=200")
    for days in range(2, 20):
        log_attendance(stay, attended_on=today - days * DAY)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/api/v1/recovery-meetings/?page_size=200")
    assert response.json()["count"] == 19
