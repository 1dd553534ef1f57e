"""A peer-run house of six members on a Wednesday in March 2026, its officers elected by the operator (its first
officers), and helpers to admit members and hold meetings."""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Role
from houses.models import House
from peer.services import governance, meetings
from residents.core.services.applications import application_receive
from tests.factories import HouseFactory, MembershipFactory, ResidentFactory, admit, operator_of

TODAY = date(2026, 3, 11)
CHICAGO = ZoneInfo("America/Chicago")
OFFICERS = ["president", "secretary", "treasurer", "comptroller", "coordinator", "house_services_rep"]


def at(day: date, hour: int = 19) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CHICAGO)


@pytest.fixture(autouse=True)
def _on_a_wednesday_evening():
    with time_machine.travel(at(TODAY, 20), tick=False):
        yield


def add_member(house: House, *, on: date = date(2026, 1, 5), login: bool = True, **names):
    """A resident living in ``house`` from ``on`` (with a portal login unless ``login`` is False)."""
    organization = house.organization
    membership = MembershipFactory(organization=organization, role=Role.RESIDENT) if login else None
    resident = ResidentFactory(organization=organization, membership=membership, **names)
    admit(house, on=on, resident=resident, phase=False)
    return resident


def peer_run(house: House, **charter) -> House:
    return governance.house_governance_set(
        actor=operator_of(house.organization), house=house, governance=House.Governance.PEER_RUN, **charter
    )


@pytest.fixture
def peer_house(organization):
    return peer_run(HouseFactory(organization=organization, name="Oxford on Elm", beds=8))


@pytest.fixture
def members(peer_house):
    """Six members, each holding one office from January (elected by the operator, the house's first officers)."""
    operator = operator_of(peer_house.organization)
    made = []
    for office in OFFICERS:
        resident = add_member(peer_house, legal_first_name=office.split("_")[0].title(), legal_last_name="Member")
        governance.officer_elect(
            actor=operator, house=peer_house, office=office, resident=resident, starts_on=date(2026, 1, 10)
        )
        made.append(resident)
    return SimpleNamespace(**dict(zip(OFFICERS, made, strict=True)), all=made)


def login(resident):
    return resident.membership


@pytest.fixture
def meeting(peer_house, members):
    """Tonight's weekly meeting, opened by the president, with every member present."""
    opened = meetings.meeting_open(actor=login(members.president), house=peer_house, held_at=at(TODAY))
    return meetings.meeting_attendance_set(actor=login(members.president), meeting=opened, present=members.all)


@pytest.fixture
def applicant(peer_house):
    """Someone who applied to the house through its public page."""
    return application_receive(
        organization=peer_house.organization, received_via="website", first_name="Sam", last_name="Ortiz",
        phone="(555) 300-4000", preferred_house=peer_house, applied_on=date(2026, 3, 2),
    )  # fmt: skip


def vote(meeting, motion, choices: dict):
    """Each member in ``choices`` casts their own vote from their phone."""
    for resident, choice in choices.items():
        meetings.ballot_cast(actor=login(resident), motion=motion, member=resident, choice=choice)
