"""The dashboard's "Behind on rent" widget: residents whose past-due charges are above their house's alert amount."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import HouseBillingPolicy
from billing.services.ledger import charge_post
from tests.factories import admit, operator_of

from .conftest import make_policy

LAST_MONTH = date(2026, 5, 15)


@pytest.fixture
def maple(house):
    return make_policy(house, owing_alert_above=Decimal("200.00"))


def add_beds(house, count):
    from tests.factories import BedFactory, RoomFactory

    room = RoomFactory(house=house, name="Annex")
    for number in range(count):
        BedFactory(room=room, label=f"Annex {number + 1}")


def owing(house, amount, on=LAST_MONTH):
    resident = admit(house, date(2026, 3, 1)).resident
    charge_post(
        actor=operator_of(house.organization),
        resident=resident,
        kind="other",
        amount=amount,
        memo="Repairs",
        effective_on=on,
    )
    return resident


def widget_rows(page, member):
    response = page(member).get("/dashboard/")
    assert response.status_code == 200
    return response.content.decode().split('id="w-owing"')[1].split("</section>")[0]


def test_a_resident_owing_more_than_the_alert_amount_is_listed_with_what_they_owe(page, manager, maple, house):
    resident = owing(house, "250.00")
    rows = widget_rows(page, manager)
    assert f'href="/dashboard/residents/{resident.pk}/#ledger"' in rows
    assert "250.00" in rows
    assert "31 days past due" in rows


def test_a_resident_owing_no_more_than_the_alert_amount_is_not_listed(page, manager, maple, house):
    resident = owing(house, "200.00")
    rows = widget_rows(page, manager)
    assert f"/residents/{resident.pk}/" not in rows
    assert "Nobody owes more than their house" in rows


def test_a_charge_due_today_is_not_yet_past_due(page, manager, maple, house, today):
    resident = owing(house, "900.00", on=today)
    assert f"/residents/{resident.pk}/" not in widget_rows(page, manager)


def test_a_house_without_billing_settings_alerts_above_one_hundred(page, manager, house):
    listed, not_listed = owing(house, "100.01"), owing(house, "100.00")
    rows = widget_rows(page, manager)
    assert f"/residents/{listed.pk}/" in rows
    assert f"/residents/{not_listed.pk}/" not in rows
    assert not HouseBillingPolicy.objects.filter(house=house).exists()


def test_a_manager_sees_only_residents_of_their_houses(page, manager, operator, maple, house, other_house):
    theirs, elsewhere = owing(house, "500.00"), owing(other_house, "500.00")
    rows = widget_rows(page, manager)
    assert f"/residents/{theirs.pk}/" in rows
    assert f"/residents/{elsewhere.pk}/" not in rows
    assert f"/residents/{elsewhere.pk}/" in widget_rows(page, operator)


def test_the_most_owed_come_first_and_the_rest_are_counted(page, manager, maple, house):
    add_beds(house, 10)
    residents = [owing(house, f"{300 + 10 * number}.00") for number in range(10)]
    rows = widget_rows(page, manager)
    assert rows.index(f"/residents/{residents[9].pk}/") < rows.index(f"/residents/{residents[8].pk}/")
    assert f"/residents/{residents[0].pk}/" not in rows  # the two smallest are past the first eight
    assert "2 more owing" in rows


def listed_names(response):
    return [resident.legal_last_name for resident in response.context["page_obj"].object_list]


def test_the_residents_list_shows_each_balance_and_filters_those_owing(page, manager, maple, house):
    in_debt = owing(house, "40.00")
    paid_up = admit(house, date(2026, 3, 1)).resident
    client = page(manager)
    everyone = client.get("/dashboard/residents/")
    assert {in_debt.legal_last_name, paid_up.legal_last_name} <= set(listed_names(everyone))
    assert f'<a href="/dashboard/residents/{in_debt.pk}/#ledger">$40.00</a>' in everyone.content.decode()
    assert in_debt.legal_last_name in listed_names(client.get("/dashboard/residents/?owing=on"))
    assert paid_up.legal_last_name not in listed_names(client.get("/dashboard/residents/?owing=on"))


def test_a_resident_in_credit_shows_the_credit_and_is_not_owing(page, manager, maple, house):
    from billing.services.payments import payment_record

    resident = admit(house, date(2026, 3, 1)).resident
    payment_record(actor=manager, resident=resident, method="cash", amount="75", received_on=LAST_MONTH)
    client = page(manager)
    assert '75.00 <span class="muted small">credit</span>' in client.get("/dashboard/residents/").content.decode()
    assert resident.legal_last_name not in listed_names(client.get("/dashboard/residents/?owing=on"))


def test_the_dashboard_costs_the_same_for_one_resident_owing_or_twelve(
    page, manager, maple, house, django_assert_max_num_queries
):
    add_beds(house, 11)
    client = page(manager)
    owing(house, "300.00")
    client.get("/dashboard/")
    with django_assert_max_num_queries(40) as one:
        client.get("/dashboard/")
    measured = len(one.captured_queries)
    for _ in range(11):
        owing(house, "300.00")
    with django_assert_max_num_queries(measured):
        assert "4 more owing" in client.get("/dashboard/").content.decode()


def test_operators_are_pointed_to_where_the_alert_amount_is_set(page, operator, manager, maple):
    assert 'href="/dashboard/settings/rent/"' in widget_rows(page, operator)
    assert "/dashboard/settings/rent/" not in widget_rows(page, manager)
