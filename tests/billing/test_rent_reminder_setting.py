"""The house setting for rent reminders: how many days before rent is due residents are e-mailed (0 to 14; 0: no
advance reminder), on the operator's rent settings page and through the API, with the same rule both ways."""

import pytest

from billing.models import HouseBillingPolicy

from .conftest import make_policy

POLICIES = "/api/v1/billing/policies/"


def edit_url(house):
    return f"/dashboard/settings/rent/{house.pk}/"


@pytest.fixture
def policy(house):
    return make_policy(house)  # reminders 3 days ahead, the default


def reminder_days(house) -> int:
    return HouseBillingPolicy.objects.get(house=house).rent_reminder_days


def test_a_new_house_reminds_three_days_ahead(policy):
    assert policy.rent_reminder_days == 3


def test_the_operator_sets_the_reminder_days_on_the_rent_settings_page(page, operator, house, policy):
    response = page(operator).submit(edit_url(house), {"rent_reminder_days": "7"})
    assert response.status_code == 302
    assert reminder_days(house) == 7


def test_zero_turns_the_advance_reminder_off(page, operator, house, policy):
    page(operator).submit(edit_url(house), {"rent_reminder_days": "0"})
    assert reminder_days(house) == 0


@pytest.mark.parametrize("value", ["15", "-1", "three"])
def test_the_page_refuses_a_reminder_setting_out_of_range_beside_the_field(page, operator, house, policy, value):
    response = page(operator).submit(edit_url(house), {"rent_reminder_days": value})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_rent_reminder_days_error"' in html
    assert reminder_days(house) == 3


def test_the_page_shows_the_setting_with_its_help(page, operator, house, policy):
    html = page(operator).get(edit_url(house)).content.decode()
    assert '<label for="id_rent_reminder_days">Remind residents this many days before rent is due' in html
    assert "0 to 14 days ahead; 0 for no advance reminder" in html


def test_the_api_shows_and_sets_the_reminder_days(api, operator, house, policy):
    client = api(operator)
    assert client.get(f"{POLICIES}{policy.pk}/").json()["rent_reminder_days"] == 3
    response = client.patch(f"{POLICIES}{policy.pk}/", {"rent_reminder_days": 14}, format="json")
    assert response.status_code == 200, response.json()
    assert reminder_days(house) == 14


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (15, "Remind residents at most 14 days before rent is due (0 for no reminder)."),
        (-1, "Ensure this value is greater than or equal to 0."),
        ("soon", "A valid integer is required."),
    ],
)
def test_the_api_refuses_a_reminder_setting_out_of_range_and_writes_nothing(
    api, operator, house, policy, value, message
):
    response = api(operator).patch(f"{POLICIES}{policy.pk}/", {"rent_reminder_days": value}, format="json")
    assert response.status_code == 400
    assert response.json()["rent_reminder_days"] == [message]
    assert reminder_days(house) == 3


def test_a_manager_cannot_change_the_reminder_days(api, manager, house, policy):
    response = api(manager).patch(f"{POLICIES}{policy.pk}/", {"rent_reminder_days": 7}, format="json")
    assert response.status_code == 403
    assert reminder_days(house) == 3
