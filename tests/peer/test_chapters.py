from datetime import date
from decimal import Decimal

import pytest

from accounts.exceptions import Conflict, Invalid, NotAllowed
from peer.models import BankEntry
from peer.services import chapters, governance, meetings, money
from tests.factories import MembershipFactory, operator_of
from tests.peer.conftest import TODAY, at, login, peer_run


@pytest.fixture
def chapter(peer_house):
    made = chapters.chapter_create(actor=operator_of(peer_house.organization), name="Elm Valley", area="Springfield")
    peer_run(peer_house, chapter=made)
    return made


def _file(house, members):
    return chapters.house_report_file(actor=login(members.house_services_rep), house=house, month=date(2026, 2, 1))


def _february_books(house, members):
    treasurer = login(members.treasurer)
    money.bank_entry_record(actor=treasurer, house=house, kind="opening", amount="900", entry_on=date(2026, 2, 1))
    money.bank_entry_record(actor=treasurer, house=house, kind="deposit", amount="100", entry_on=date(2026, 2, 9))
    with_meeting = meetings.meeting_open(actor=login(members.president), house=house, held_at=at(date(2026, 2, 18)))
    meetings.meeting_close(actor=login(members.president), meeting=with_meeting)


def test_the_house_services_representative_files_the_monthly_report(peer_house, members, chapter):
    _february_books(peer_house, members)
    report = chapters.house_report_file(
        actor=login(members.house_services_rep), house=peer_house, month=date(2026, 2, 1)
    )
    assert (report.chapter, report.beds, report.members, report.vacancies) == (chapter, 8, 6, 2)
    assert (report.bank_balance, report.meetings_held, report.audit_done) == (Decimal("1000.00"), 1, False)
    assert "President: President Member" in report.officers


def test_the_report_keeps_the_figures_it_was_filed_with(peer_house, members, chapter):
    _february_books(peer_house, members)
    report = chapters.house_report_file(
        actor=login(members.house_services_rep), house=peer_house, month=date(2026, 2, 1)
    )
    money.bank_entry_record(actor=login(members.treasurer), house=peer_house, kind="deposit", amount="5",
                            entry_on=date(2026, 2, 27))  # fmt: skip
    report.refresh_from_db()
    assert report.bank_balance == Decimal("1000.00")
    assert BankEntry.objects.count() == 3


def test_only_the_house_services_representative_files_the_report(peer_house, members, chapter):
    with pytest.raises(NotAllowed):
        chapters.house_report_file(actor=login(members.president), house=peer_house, month=date(2026, 2, 1))


def test_a_month_is_reported_once(peer_house, members, chapter):
    hsr = login(members.house_services_rep)
    chapters.house_report_file(actor=hsr, house=peer_house, month=date(2026, 2, 1))
    with pytest.raises(Conflict, match="already filed"):
        chapters.house_report_file(actor=hsr, house=peer_house, month=date(2026, 2, 1))


def test_the_current_month_cannot_be_reported_yet(peer_house, members, chapter):
    with pytest.raises(Invalid, match="ended"):
        chapters.house_report_file(actor=login(members.house_services_rep), house=peer_house, month=TODAY)


def test_the_chapter_marks_a_house_that_needs_help(peer_house, members, chapter):
    report = chapters.house_report_file(
        actor=login(members.house_services_rep), house=peer_house, month=date(2026, 2, 1)
    )
    marked = chapters.house_report_mark(actor=login(members.house_services_rep), report=report, needs_help=True,
                                        note="Two members behind; audit not done")  # fmt: skip
    assert (marked.needs_help, marked.help_note) == (True, "Two members behind; audit not done")


def test_a_member_who_is_not_a_representative_cannot_mark_a_house(peer_house, members, chapter):
    report = chapters.house_report_file(
        actor=login(members.house_services_rep), house=peer_house, month=date(2026, 2, 1)
    )
    with pytest.raises(NotAllowed):
        chapters.house_report_mark(actor=login(members.secretary), report=report, needs_help=True, note="Help")


def test_a_house_cannot_join_another_organizations_chapter(peer_house, other_organization):
    elsewhere = chapters.chapter_create(actor=MembershipFactory(organization=other_organization), name="Far")
    with pytest.raises(Invalid, match="chapter"):
        governance.house_governance_set(
            actor=operator_of(peer_house.organization), house=peer_house, governance="peer_run", chapter=elsewhere
        )
