"""The peer-run house's lists cost the same queries however much the house has done."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peer.services import meetings, money
from tests.peer.conftest import TODAY, at, login

LISTS = [
    "/api/v1/peer/houses/", "/api/v1/peer/officer-terms/", "/api/v1/peer/meetings/", "/api/v1/peer/motions/",
    "/api/v1/peer/bank-entries/", "/api/v1/peer/share-payments/", "/api/v1/peer/audits/",
]  # fmt: skip
PAGES = ["/portal/house/", "/portal/house/meetings/", "/portal/house/money/", "/portal/house/audits/"]


def _a_week_of_business(house, members, week: int):
    """A closed meeting with a decided motion, a deposit and a check."""
    president, treasurer = login(members.president), login(members.treasurer)
    day = TODAY - timedelta(days=7 * (8 - week))
    meeting = meetings.meeting_open(actor=president, house=house, held_at=at(day))
    meetings.meeting_attendance_set(actor=president, meeting=meeting, present=members.all)
    motion = meetings.motion_make(actor=president, meeting=meeting, text=f"Motion {week}", moved_by=members.treasurer,
                                  seconded_by=members.coordinator)  # fmt: skip
    for member in members.all:
        meetings.ballot_cast(actor=president, motion=motion, member=member, choice="for")
    meetings.motion_decide(actor=president, motion=motion)
    meetings.meeting_close(actor=president, meeting=meeting)
    money.bank_entry_record(actor=treasurer, house=house, kind="deposit", amount="100", entry_on=day)
    money.bank_entry_record(actor=treasurer, house=house, kind="check", amount="50", entry_on=day, number=str(week),
                            payee="Co-op", signed_by=members.treasurer, cosigned_by=members.president)  # fmt: skip
    money.share_payment_record(actor=treasurer, member=members.secretary, method="cash", amount="10", received_on=day)


@pytest.fixture
def busy_house(peer_house, members):
    money.bank_entry_record(actor=login(members.treasurer), house=peer_house, kind="opening", amount="1000",
                            entry_on=date(2026, 1, 5))  # fmt: skip
    _a_week_of_business(peer_house, members, 1)
    return peer_house


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _counts(client, paths) -> dict:
    return {path: _count(client, path) for path in paths}


def test_every_api_list_costs_the_same_queries_for_more_rows(api, busy_house, members):
    client = api(login(members.secretary))
    one_week = _counts(client, LISTS)
    for week in range(2, 6):
        _a_week_of_business(busy_house, members, week)
    five_weeks = _counts(client, LISTS)
    assert {path: five_weeks[path] <= one_week[path] for path in LISTS} == dict.fromkeys(LISTS, True), five_weeks


def test_every_house_page_costs_the_same_queries_for_more_business(page, busy_house, members):
    client = page(login(members.secretary))
    one_week = _counts(client, PAGES)
    for week in range(2, 6):
        _a_week_of_business(busy_house, members, week)
    five_weeks = _counts(client, PAGES)
    assert {path: five_weeks[path] <= one_week[path] for path in PAGES} == dict.fromkeys(PAGES, True), five_weeks
