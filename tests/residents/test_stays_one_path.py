"""Residents, stays and applications have one write path (the services the pages use), one answer to "who lives in
house H on night D" (``residents.core.selectors.nights``) and one way to react to a stay (its signals)."""

from datetime import date, timedelta

import pytest

from accounts.exceptions import NotAllowed
from residents.core.selectors import nights
from residents.core.services.applications import application_create
from residents.core.services.stays import stay_discharge, stay_transfer
from residents.signals import stay_admitted, stay_discharged, stay_transferred
from tests.factories import admit


def _names(response) -> set[str]:
    return {row["legal_last_name"] for row in response.json()["results"]}


# One answer to "who lives where".


def test_a_resident_transferred_mid_month_counts_in_the_old_house_before_and_the_new_one_after(
    operator, house, other_house
):
    stay = admit(house, on=date(2026, 3, 1), actor=operator)
    stay_transfer(actor=operator, stay=stay, bed=other_house.beds.first(), on=date(2026, 3, 15))
    assert stay.resident_id in nights.residents_of(house=house, night=date(2026, 3, 14))
    assert stay.resident_id not in nights.residents_of(house=other_house, night=date(2026, 3, 14))
    assert stay.resident_id in nights.residents_of(house=other_house, night=date(2026, 3, 15))
    assert stay.resident_id not in nights.residents_of(house=house, night=date(2026, 3, 15))


def test_the_residents_house_filter_keeps_a_resident_whose_transfer_is_dated_tomorrow_in_the_house_they_sleep_in(
    api, operator, organization, house, other_house
):
    today = organization.today()
    stay = admit(house, on=today - timedelta(days=10), actor=operator, legal_last_name="Mover")
    stay_transfer(actor=operator, stay=stay, bed=other_house.beds.first(), on=today + timedelta(days=1))
    client = api(operator)
    assert _names(client.get(f"/api/v1/residents/?house={house.pk}")) == {"Mover"}
    assert _names(client.get(f"/api/v1/residents/?house={other_house.pk}")) == set()


def test_the_residents_house_filter_leaves_out_an_admission_dated_ahead(api, operator, organization, house):
    admit(house, on=organization.today() + timedelta(days=3), actor=operator, legal_last_name="Soon")
    assert _names(api(operator).get(f"/api/v1/residents/?house={house.pk}")) == set()


def test_the_balances_house_filter_finds_a_resident_under_a_house_they_transferred_out_of(
    api, operator, house, other_house
):
    stay = admit(house, on=date(2026, 3, 1), actor=operator)
    stay_transfer(actor=operator, stay=stay, bed=other_house.beds.first(), on=date(2026, 3, 15))
    rows = api(operator).get(f"/api/v1/billing/balances/?house={house.pk}").json()["results"]
    assert [row["id"] for row in rows] == [stay.resident_id]


def test_a_resident_is_in_the_house_on_the_morning_they_move_out_but_not_that_night(operator, house):
    stay = admit(house, on=date(2026, 3, 1), actor=operator)
    stay_discharge(actor=operator, stay=stay, on=date(2026, 3, 20), reason="completed")
    assert nights.residence_on_day(resident=stay.resident, day=date(2026, 3, 20)).stay_id == stay.pk
    assert stay.resident_id not in nights.residents_of(house=house, night=date(2026, 3, 20))
    assert nights.residence_on_day(resident=stay.resident, day=date(2026, 3, 21)) is None


# Actors and roles.


def test_a_manager_cannot_discharge_a_resident_of_a_house_they_do_not_run(operator, manager, other_house):
    stay = admit(other_house, on=date(2026, 3, 1), actor=operator)
    with pytest.raises(NotAllowed):
        stay_discharge(actor=manager, stay=stay, on=date(2026, 3, 20), reason="completed")


def test_a_manager_cannot_transfer_a_resident_into_a_house_they_do_not_run(operator, manager, house, other_house):
    stay = admit(house, on=date(2026, 3, 1), actor=operator)
    with pytest.raises(NotAllowed):
        stay_transfer(actor=manager, stay=stay, bed=other_house.beds.first(), on=date(2026, 3, 15))


def test_a_resident_member_cannot_admit_anyone(resident_member, house):
    with pytest.raises(NotAllowed):
        admit(house, on=date(2026, 3, 1), actor=resident_member)


# One write path: the API keeps the page's rules.


def test_an_application_edited_through_the_api_must_keep_a_way_to_reach_the_applicant(api, operator):
    application = application_create(
        actor=operator, first_name="Jo", last_name="Reyes", phone="(555) 100-2000", applied_on=date(2026, 2, 1)
    )
    response = api(operator).patch(f"/api/v1/applications/{application.pk}/", {"phone": ""}, format="json")
    assert response.status_code == 400
    assert "phone" in response.json()
    application.refresh_from_db()
    assert application.phone == "(555) 100-2000"


def test_a_resident_created_through_the_api_pays_by_the_page_s_payer_rule(api, operator):
    body = {"legal_first_name": "Al", "legal_last_name": "Ng", "payer": "agency", "payer_name": "  "}
    response = api(operator).post("/api/v1/residents/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"payer_name": ["Name the family member, agency or voucher program."]}


# One reaction mechanism.


def test_admission_transfer_and_discharge_each_send_their_signal_with_the_acting_member(operator, house, other_house):
    heard = []

    def listen(signal_name):
        def receiver(sender, stay, actor, **kwargs):
            heard.append((signal_name, stay.pk, actor))

        return receiver

    receivers = {name: listen(name) for name in ("admitted", "transferred", "discharged")}
    stay_admitted.connect(receivers["admitted"])
    stay_transferred.connect(receivers["transferred"])
    stay_discharged.connect(receivers["discharged"])
    try:
        stay = admit(house, on=date(2026, 3, 1), actor=operator)
        stay_transfer(actor=operator, stay=stay, bed=other_house.beds.first(), on=date(2026, 3, 15))
        stay_discharge(actor=operator, stay=stay, on=date(2026, 3, 20), reason="completed")
    finally:
        stay_admitted.disconnect(receivers["admitted"])
        stay_transferred.disconnect(receivers["transferred"])
        stay_discharged.disconnect(receivers["discharged"])
    assert heard == [
        ("admitted", stay.pk, operator),
        ("transferred", stay.pk, operator),
        ("discharged", stay.pk, operator),
    ]


def test_a_receiver_that_refuses_an_admission_leaves_no_stay_behind(operator, house):
    def refuse(sender, stay, **kwargs):
        raise NotAllowed("No.")

    stay_admitted.connect(refuse)
    try:
        with pytest.raises(NotAllowed):
            admit(house, on=date(2026, 3, 1), actor=operator)
    finally:
        stay_admitted.disconnect(refuse)
    assert not house.beds.filter(assignments__isnull=False).exists()
