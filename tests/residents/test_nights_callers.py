"""Who lives in a house tonight, asked by the sign-out board, the sign-out service, the resident page's rules section
and the portal's rules: the nights selector, so a transfer dated tomorrow leaves the resident where they sleep
tonight (``Stay.house`` already names the new house)."""

from datetime import date
from types import SimpleNamespace

import pytest

from residents.core.services.stays import stay_transfer
from residents.dashboard.views.resident_sections import resident_sections
from residents.house_rules import services as rule_services
from residents.models import RuleSet, SignOut
from residents.portal.selectors import rules_standing
from residents.program.selectors.board import stays_in
from residents.program.services import signouts as signout_services
from residents.program.views.signouts import _open_stays
from tests.clock import local_moment, module_clock
from tests.factories import admit, free_bed

from .rules_factories import publish_defaults

_clock = module_clock(local_moment(2026, 6, 10))
TOMORROW = date(2026, 6, 11)


def transfer_tomorrow(stay, operator, house):
    stay_transfer(actor=operator, stay=stay, bed=free_bed(house, on=TOMORROW), on=TOMORROW)
    stay.refresh_from_db()
    return stay


@pytest.fixture
def moving(house, other_house, operator):
    """Sleeps in ``house`` tonight; moves to ``other_house`` tomorrow."""
    return transfer_tomorrow(admit(house, actor=operator, on=date(2026, 6, 1)), operator, other_house)


def test_the_board_offers_a_resident_moving_tomorrow_in_the_house_they_sleep_in_tonight(moving, house, operator):
    assert list(stays_in(viewer=operator, house=house)) == [moving]


def test_the_board_does_not_offer_a_resident_on_the_house_they_move_to_tomorrow(moving, other_house, operator):
    assert list(stays_in(viewer=operator, house=other_house)) == []


def test_the_sign_out_form_accepts_a_resident_moving_tomorrow_from_the_house_they_sleep_in(moving, house, operator):
    assert list(_open_stays(SimpleNamespace(viewer=operator), house)) == [moving]


def test_a_resident_moving_tomorrow_is_signed_out_from_the_house_they_sleep_in_tonight(moving, house, operator):
    sign_out = signout_services.signout_create(
        actor=operator, stay=moving, destination="Work", expected_return_at=local_moment(2026, 6, 10, 18)
    )
    assert sign_out.house_id == house.pk


def test_the_resident_page_asks_for_the_rules_of_the_house_slept_in_tonight(moving, house, operator):
    publish_defaults(operator)
    life = resident_sections(SimpleNamespace(viewer=operator), moving.resident, {})["life"]
    assert life["rule_set"].house_id == house.pk
    assert life["signed_current"] is False


def test_the_portal_shows_the_rules_of_the_house_slept_in_tonight(resident_member, house, other_house, operator):
    stay = transfer_tomorrow(resident_member.resident.stays.get(), operator, other_house)
    publish_defaults(operator)
    standing = rules_standing(viewer=resident_member, stay=stay)
    assert standing.rule_set.house_id == house.pk
    assert standing.needs_signing


def test_a_resident_moving_tomorrow_signs_the_rules_of_the_house_slept_in_tonight(moving, house, operator):
    publish_defaults(operator)
    rule_set = RuleSet.objects.get(house=house, is_current=True)
    resident = moving.resident
    acknowledgement, created = rule_services.rule_set_acknowledge(
        resident=resident, rule_set=rule_set, signature=resident.legal_name, ip_address=None
    )
    assert created
    assert acknowledgement.stay_id == moving.pk


def test_a_resident_moving_tomorrow_is_signed_back_in_from_the_board_they_were_signed_out_from(
    page, moving, house, operator
):
    signout_services.signout_create(
        actor=operator, stay=moving, destination="Work", expected_return_at=local_moment(2026, 6, 10, 18)
    )
    board = f"/dashboard/houses/{house.pk}/sign-outs/"
    response = page(operator).submit(board, form="form[action$='/sign-in/']", follow=True)
    assert response.status_code == 200
    assert not SignOut.objects.open().exists()
