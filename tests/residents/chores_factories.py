"""Test data for chores and meetings: chores, admissions into free beds, and the dates tests reason about."""

from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.calendar import week_of
from houses.models import Bed, House
from residents.chores.models import EVERY_DAY
from residents.core.services import stays as stay_services
from residents.models import Chore, HouseMeeting, RecoveryMeetingAttendance, Stay
from tests.factories import operator_of


class ChoreFactory(DjangoModelFactory):
    class Meta:
        model = Chore

    house = factory.SubFactory("tests.factories.HouseFactory")
    organization = factory.LazyAttribute(lambda chore: chore.house.organization)
    name = factory.Sequence(lambda n: f"Chore {n}")
    frequency = Chore.Frequency.DAILY
    weekdays = EVERY_DAY


def this_monday(house: House) -> date:
    return week_of(house.organization.today())[0]


def free_bed(house: House, on: date) -> Bed:
    """A bed of ``house`` nobody holds from ``on`` on."""
    for bed in Bed.objects.filter(house=house).order_by("pk"):
        if not bed.assignments.exclude(end__isnull=False, end__lte=on).exists():
            return bed
    raise AssertionError(f"{house} has no free bed from {on}")


def discharge(stay: Stay, *, on: date, reason: str = "completed") -> Stay:
    return stay_services.stay_discharge(actor=operator_of(stay.organization), stay=stay, on=on, reason=reason)


def log_attendance(stay: Stay, *, attended_on: date, meeting_type="aa", name="Downtown Group", verified_by=None):
    return RecoveryMeetingAttendance.objects.create(
        organization=stay.organization, resident=stay.resident, stay=stay, attended_on=attended_on,
        meeting_type=meeting_type, name=name, verified_by=verified_by,
        verified_at=None if verified_by is None else timezone.now(),
    )  # fmt: skip


def house_meeting(house: House, *, days_ago: int = 3, facilitator_name: str = "Senior resident", attendees=()):
    meeting = HouseMeeting.objects.create(
        organization=house.organization, house=house, facilitator_name=facilitator_name, minutes="Chores reviewed.",
        held_at=timezone.now() - timedelta(days=days_ago),
    )  # fmt: skip
    meeting.attendees.set(attendees)
    return meeting
