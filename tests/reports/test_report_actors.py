"""The report and month-close services check who acts themselves, whatever the channel. Today is June 15, 2026."""

import pytest

from accounts.exceptions import Invalid, NotAllowed
from reports.metrics import Month
from reports.services import month_close, month_reopen, report_request
from tests.clock import local_moment, module_clock

_clock = module_clock(local_moment(2026, 6, 15))


def test_a_manager_cannot_close_a_month(manager, organization):
    with pytest.raises(NotAllowed):
        month_close(actor=manager, organization=organization, month=Month(2026, 5))


def test_an_operator_of_another_organization_cannot_close_this_ones_month(outsider, organization):
    with pytest.raises(NotAllowed):
        month_close(actor=outsider, organization=organization, month=Month(2026, 5))


def test_a_manager_cannot_reopen_a_month(operator, manager, organization):
    close = month_close(actor=operator, organization=organization, month=Month(2026, 5))
    with pytest.raises(NotAllowed):
        month_reopen(actor=manager, close=close, reason="A check was missed")


def test_the_close_records_the_operators_account(operator, organization):
    close = month_close(actor=operator, organization=organization, month=Month(2026, 5))
    assert (close.closed_by, close.report.requested_by) == (operator.user, operator.user)


def test_a_manager_asks_for_one_of_their_houses_not_the_organization(manager, organization):
    with pytest.raises(Invalid) as refused:
        report_request(actor=manager, organization=organization, month=Month(2026, 5))
    assert refused.value.field == "house"


def test_a_manager_cannot_ask_for_another_houses_report(manager, organization, other_house):
    with pytest.raises(NotAllowed):
        report_request(actor=manager, organization=organization, month=Month(2026, 5), house=other_house)


def test_a_resident_cannot_ask_for_a_report(resident_member, organization, house):
    with pytest.raises(NotAllowed):
        report_request(actor=resident_member, organization=organization, month=Month(2026, 5), house=house)
