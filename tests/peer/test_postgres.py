"""Two phones at once on PostgreSQL: the register, a member's vote and the month's audit stay right."""

from datetime import date

import pytest

from accounts.exceptions import DomainError
from peer.models import Ballot, BankEntry, MonthlyAudit
from peer.services import meetings, money
from tests.concurrency import at_once
from tests.peer.conftest import TODAY, at, login

pytestmark = pytest.mark.postgres


def _outcome(job):
    def run():
        try:
            return job()
        except DomainError as error:
            return error

    return run


@pytest.fixture
def register(transactional_db, peer_house, members):
    money.bank_entry_record(actor=login(members.treasurer), house=peer_house, kind="opening", amount="1000",
                            entry_on=date(2026, 2, 1))  # fmt: skip
    return peer_house


def test_one_check_number_written_twice_at_once_is_written_once(register, members):
    def write():
        return money.bank_entry_record(
            actor=login(members.treasurer), house=register, kind="check", amount="600", entry_on=date(2026, 3, 2),
            number="1043", payee="Elm St Properties", signed_by=members.treasurer, cosigned_by=members.president,
        )  # fmt: skip

    results = at_once([_outcome(write), _outcome(write)])
    assert sorted(type(result).__name__ for result in results) == ["BankEntry", "Conflict"]
    assert BankEntry.objects.filter(kind="check").count() == 1


def test_a_double_tap_on_a_vote_leaves_one_ballot(transactional_db, peer_house, members):
    president = login(members.president)
    meeting = meetings.meeting_open(actor=president, house=peer_house, held_at=at(TODAY, 19))
    meetings.meeting_attendance_set(actor=president, meeting=meeting, present=members.all)
    motion = meetings.motion_make(actor=president, meeting=meeting, text="Paint the porch",
                                  moved_by=members.treasurer, seconded_by=members.coordinator)  # fmt: skip

    def vote(choice):
        return lambda: meetings.ballot_cast(actor=login(members.secretary), motion=motion, member=members.secretary,
                                            choice=choice)  # fmt: skip

    at_once([vote("for"), vote("against")])
    assert Ballot.objects.filter(motion=motion, member=members.secretary).count() == 1


def test_two_audits_of_one_month_at_once_make_one(register, members):
    def prepare():
        return money.audit_prepare(
            actor=login(members.comptroller), house=register, month=date(2026, 2, 1), statement_balance="1000",
            cleared=BankEntry.objects.filter(house=register), auditors=[members.secretary, members.coordinator],
        )  # fmt: skip

    results = at_once([_outcome(prepare), _outcome(prepare)])
    assert sorted(type(result).__name__ for result in results) == ["Conflict", "MonthlyAudit"]
    assert MonthlyAudit.objects.count() == 1
