"""Staff set or clear a resident's planned move-out on the resident's page (its own form) or through the API; the
bed then opens to the waitlist ahead of it."""

from datetime import date

import pytest

from accounts.exceptions import Conflict, Invalid, NotAllowed
from residents.core.services.stays import stay_plan_move_out
from residents.models import Stay
from tests.conftest import api_client_for
from tests.forms import FormClient
from vacancies.models import BedOpening

from .conftest import TODAY, days, discharge, plan, resident_in

FORM = "#planned-move-out"


def page(stay):
    return f"/dashboard/residents/{stay.resident_id}/"


def logged_in(member) -> FormClient:
    client = FormClient()
    client.force_login(member.user)
    return client


def test_a_manager_sets_the_planned_move_out_on_the_residents_page(house, manager):
    stay = resident_in(house)

    response = logged_in(manager).submit(page(stay), {"move-out-on": "2026-12-12"}, form=FORM, follow=True)

    stay.refresh_from_db()
    assert stay.expected_move_out == date(2026, 12, 12)
    assert "plans to move out on Dec 12, 2026" in response.content.decode()
    assert BedOpening.objects.get().opens_on == date(2026, 12, 12)


def test_the_page_shows_the_planned_move_out_and_clears_it(house, manager):
    stay = resident_in(house)
    plan(stay, days(5))
    client = logged_in(manager)
    assert "Moving out Dec 12, 2026" in client.get(page(stay)).content.decode()

    response = client.submit(page(stay), form=FORM, button="Clear planned move-out", follow=True)

    stay.refresh_from_db()
    assert stay.expected_move_out is None
    assert "planned move-out of" in response.content.decode()
    assert BedOpening.objects.get().cancelled_at is not None


@pytest.mark.parametrize("on", ["2026-12-07", "2026-12-01"], ids=["today", "past"])
def test_a_planned_move_out_not_after_today_is_refused_and_writes_nothing(house, manager, on):
    stay = resident_in(house)

    response = logged_in(manager).submit(page(stay), {"move-out-on": on}, form=FORM)

    assert response.status_code == 400
    assert "must be after today" in response.content.decode()
    stay.refresh_from_db()
    assert stay.expected_move_out is None


def test_saving_without_a_date_asks_for_one(house, manager):
    stay = resident_in(house)

    response = logged_in(manager).submit(page(stay), {"move-out-on": ""}, form=FORM)

    assert response.status_code == 400
    assert "Choose the planned move-out date, or clear it." in response.content.decode()


def test_a_resident_who_left_has_no_planned_move_out_form(house, manager):
    stay = resident_in(house)
    discharge(stay, days(2))

    assert 'id="planned-move-out"' not in logged_in(manager).get(page(stay)).content.decode()


def test_the_api_sets_and_clears_the_planned_move_out(house, manager):
    stay = resident_in(house)
    api = api_client_for(manager)

    set_ = api.post(f"/api/v1/stays/{stay.pk}/plan-move-out/", {"on": "2026-12-12"}, format="json")
    cleared = api.post(f"/api/v1/stays/{stay.pk}/plan-move-out/", {"on": None}, format="json")

    assert (set_.status_code, set_.json()["expected_move_out"]) == (200, "2026-12-12")
    assert (cleared.status_code, cleared.json()["expected_move_out"]) == (200, None)


def test_the_api_refuses_a_past_date_with_the_field_named(house, manager):
    stay = resident_in(house)

    response = api_client_for(manager).post(
        f"/api/v1/stays/{stay.pk}/plan-move-out/", {"on": "2026-12-01"}, format="json"
    )

    assert response.status_code == 400
    assert "on" in response.json()
    assert Stay.objects.get(pk=stay.pk).expected_move_out is None


def test_a_manager_of_another_house_is_refused_by_the_service(other_house, manager):
    stay = resident_in(other_house)

    with pytest.raises(NotAllowed):
        stay_plan_move_out(actor=manager, stay=stay, on=days(5))


def test_a_stay_that_ended_cannot_plan_a_move_out(house, operator):
    stay = resident_in(house)
    discharge(stay, TODAY)

    with pytest.raises(Conflict):
        stay_plan_move_out(actor=operator, stay=stay, on=days(5))


def test_the_service_refuses_today(house, operator):
    with pytest.raises(Invalid):
        stay_plan_move_out(actor=operator, stay=resident_in(house), on=TODAY)
