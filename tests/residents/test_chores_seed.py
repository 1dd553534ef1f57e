"""The demo's chores and meetings: realistic, dated around today, and unchanged by a second run."""

from collections import Counter
from datetime import timedelta

import pytest

from accounts.calendar import week_of
from accounts.models import Organization
from demo import seed_peer
from demo.seed import seed_all
from residents.models import Chore, ChoreAssignment, HouseMeeting, RecoveryMeetingAttendance, Stay


@pytest.fixture
def organizations(demo_db):
    """The two staff-run organizations (the peer-run one keeps its chores its own way: tests/demo/test_peer_demo.py)."""
    return list(Organization.objects.exclude(slug=seed_peer.ORGANIZATION["slug"]).order_by("pk"))


def test_each_house_has_a_chore_chart_of_six_to_eight_chores(organizations):
    first, second = organizations
    for house in first.houses.all():
        assert 6 <= Chore.objects.filter(house=house).count() <= 8
    for house in second.houses.all():
        assert Chore.objects.filter(house=house).count() == 4


def test_the_last_four_weeks_and_this_week_are_rotated(organizations):
    first = organizations[0]
    monday = week_of(first.today())[0]
    for house in first.houses.all():
        weeks = {
            week_of(day)[0] for day in ChoreAssignment.objects.filter(house=house).values_list("due_date", flat=True)
        }
        assert weeks == {monday - timedelta(weeks=back) for back in range(5)}


def test_past_chores_are_mostly_done_with_a_few_missed_or_excused(organizations):
    first = organizations[0]
    today = first.today()
    past = ChoreAssignment.objects.filter(organization=first, due_date__lt=today)
    statuses = Counter(past.values_list("status", flat=True))
    assert statuses["pending"] == 0
    assert statuses["done"] > 0.75 * past.count()
    assert statuses["missed"] > 0
    assert statuses["excused"] > 0
    assert not past.filter(status="excused", note="").exists()
    assert set(
        ChoreAssignment.objects.filter(organization=first, due_date__gte=today).values_list("status", flat=True)
    ) == {"pending"}


def test_every_house_met_weekly_for_eight_weeks_with_minutes_and_attendees(organizations):
    first = organizations[0]
    for house in first.houses.all():
        meetings = HouseMeeting.objects.filter(house=house)
        assert meetings.count() == 8
        assert not meetings.filter(minutes="").exists()
        assert all(meeting.attendees.exists() for meeting in meetings)
        assert meetings.filter(facilitator__isnull=False).exists()
        assert meetings.filter(facilitator__isnull=True).exists()


def test_current_residents_went_to_a_mix_of_outside_meetings_mostly_verified(organizations):
    first = organizations[0]
    current = set(Stay.objects.open().filter(organization=first).values_list("resident_id", flat=True))
    attendance = RecoveryMeetingAttendance.objects.filter(organization=first)
    assert set(attendance.values_list("resident_id", flat=True)) == current
    assert len(set(attendance.values_list("meeting_type", flat=True))) >= 5
    assert attendance.verified().count() > 0.7 * attendance.count()
    assert attendance.filter(verified_at__isnull=True).exists()


def test_a_second_run_changes_no_chore_mark_or_meeting(organizations):
    def state():
        return (
            list(ChoreAssignment.objects.order_by("pk").values_list("pk", "resident_id", "status", "marked_at")),
            list(HouseMeeting.objects.order_by("pk").values_list("pk", "held_at", "minutes")),
            list(RecoveryMeetingAttendance.objects.order_by("pk").values_list("pk", "verified_at")),
        )

    before = state()
    seed_all()
    assert state() == before
