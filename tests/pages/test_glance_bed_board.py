"""Bed board cards carry badges about their occupant: owes (rent past due), test due, out now, late back last night;
and the board costs the same number of queries whatever the number of beds."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.services.ledger import charge_post
from residents.program.services import signouts as signout_services
from tests.factories import HouseFactory, admit
from tests.residents.drug_tests_factories import request_test
from tests.residents.phases_factories import local, log_out, make_phases

# A Wednesday afternoon in the houses' time zone (America/Chicago); last night was a weeknight (22:00 curfew in
# the first phase).
NOW = datetime(2026, 3, 11, 15, 0, tzinfo=ZoneInfo("America/Chicago"))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _wednesday_afternoon():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def phases(organization):
    return make_phases(organization)


def _card(client, house, resident) -> str:
    """The text of the bed card naming ``resident``, spaces squeezed."""
    html = client.get(f"/dashboard/houses/{house.pk}/beds/").content.decode()
    for card in lxml.html.fromstring(html).cssselect("li.bed-card"):
        text = " ".join(card.text_content().split())
        if resident.display_name in text:
            return text
    raise AssertionError(f"no bed card names {resident.display_name}")


def _back_last_night(stay, operator, hour, minute):
    """Out from 19:00 last night, back at ``hour:minute`` (the first phase's weeknight curfew is 22:00)."""
    organization = stay.house.organization
    last_night = TODAY - timedelta(days=1)
    back = local(organization, last_night, hour, minute)
    log_out(stay, actor=operator, out_at=local(organization, last_night, 19), back_at=back)


def _resident(house, operator, first_name, *, days=30):
    return admit(house, actor=operator, on=TODAY - timedelta(days=days), legal_first_name=first_name).resident


def test_a_card_says_when_its_resident_owes_rent_past_due(page, manager, operator, house, phases):
    resident = _resident(house, operator, "Owen")
    charge_post(
        actor=operator, resident=resident, kind="program_fee", amount="600.00", effective_on=TODAY - timedelta(10)
    )
    card = _card(page(manager), house, resident)
    assert "Owes $600.00 past due 10 days" in card


def test_a_charge_due_today_is_not_past_due_so_no_owes_badge(page, manager, operator, house, phases):
    resident = _resident(house, operator, "Penny")
    charge_post(actor=operator, resident=resident, kind="program_fee", amount="600.00", effective_on=TODAY)
    assert "Owes" not in _card(page(manager), house, resident)


def test_a_card_says_a_drug_test_is_due_today(page, manager, operator, house, phases):
    resident = _resident(house, operator, "Tess")
    request_test(operator, resident, due_on=TODAY)
    assert "Test due today" in _card(page(manager), house, resident)


def test_a_card_says_since_when_a_drug_test_is_overdue(page, manager, operator, house, phases):
    resident = _resident(house, operator, "Otto")
    with time_machine.travel(NOW - timedelta(days=3), tick=False):
        request_test(operator, resident, due_on=TODAY - timedelta(days=2))
    assert "Test overdue since Mar 9" in _card(page(manager), house, resident)


def test_a_test_due_later_this_week_is_not_flagged_yet(page, manager, operator, house, phases):
    resident = _resident(house, operator, "Lara")
    request_test(operator, resident, due_on=TODAY + timedelta(days=2))
    assert "Test due" not in _card(page(manager), house, resident)


def test_a_card_says_its_resident_is_out_now_where_and_back_by_when(page, manager, operator, house, phases):
    stay = admit(house, actor=operator, on=TODAY - timedelta(days=30), legal_first_name="Omar")
    back_by = local(house.organization, TODAY, 18, 30)
    signout_services.signout_create(actor=operator, stay=stay, destination="Work", expected_return_at=back_by)
    assert "Out now Work, back by 6:30 PM" in _card(page(manager), house, stay.resident)


def test_a_card_says_its_resident_was_back_late_last_night(page, manager, operator, house, phases):
    stay = admit(house, actor=operator, on=TODAY - timedelta(days=30), legal_first_name="Luke")
    _back_last_night(stay, operator, 22, 40)
    assert "Late back last night 40 min past curfew" in _card(page(manager), house, stay.resident)


def test_a_resident_back_before_curfew_has_no_late_badge(page, manager, operator, house, phases):
    stay = admit(house, actor=operator, on=TODAY - timedelta(days=30), legal_first_name="Ella")
    _back_last_night(stay, operator, 21, 30)
    card = _card(page(manager), house, stay.resident)
    assert "Late back" not in card
    assert "Out now" not in card


def _flag_everyone(house, operator, *, count):
    """``count`` residents in ``house``, each owing, with a test due, back late last night and out now."""
    organization = house.organization
    for number in range(count):
        stay = admit(house, actor=operator, on=TODAY - timedelta(days=30), legal_first_name=f"Res{number}")
        charge_post(
            actor=operator, resident=stay.resident, kind="fine", amount="25.00", effective_on=TODAY - timedelta(5)
        )
        request_test(operator, stay.resident, due_on=TODAY)
        _back_last_night(stay, operator, 23, 0)
        signout_services.signout_create(
            actor=operator, stay=stay, destination="Work", expected_return_at=local(organization, TODAY, 18)
        )


def test_the_board_costs_the_same_queries_for_two_beds_or_twelve(
    page, manager, operator, organization, phases, django_assert_max_num_queries
):
    small = HouseFactory(organization=organization, name="Small House", beds=2)
    large = HouseFactory(organization=organization, name="Large House", beds=12)
    manager.houses.add(small, large)
    _flag_everyone(small, operator, count=2)
    _flag_everyone(large, operator, count=12)
    client = page(manager)
    client.get(f"/dashboard/houses/{small.pk}/beds/")  # sessions and caches warmed up
    with CaptureQueriesContext(connection) as small_board:
        body = client.get(f"/dashboard/houses/{small.pk}/beds/").content.decode()
    assert body.count("Late back last night") == 2
    with django_assert_max_num_queries(len(small_board.captured_queries)):
        body = client.get(f"/dashboard/houses/{large.pk}/beds/").content.decode()
    assert body.count("Owes") == 12
    assert body.count("Test due") == 12
    assert body.count("Out now") == 12
    assert body.count("Late back last night") == 12
