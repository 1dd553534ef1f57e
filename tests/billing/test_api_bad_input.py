"""Bad input to billing endpoints: a 4xx JSON answer naming the field, and nothing written."""

from datetime import date

import pytest

from billing.models import DepositSettlement, HouseBillingPolicy, LedgerEntry, Payment, RentSchedule

from .conftest import world_once_per_module

B = "/api/v1/billing"

# Billing's world made once for the module: each test gets its own copy, and its writes roll back.
globals().update(world_once_per_module())


@pytest.fixture
def client(api, operator, world):
    return api(operator)


@pytest.fixture
def counts():
    def snapshot():
        return tuple(
            model.objects.count()
            for model in (LedgerEntry, Payment, RentSchedule, HouseBillingPolicy, DepositSettlement)
        )

    return snapshot


def charge(world, **overrides):
    body = {"resident": world["member"].pk, "kind": "fine", "amount": "25.00", "memo": "Curfew"}
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    ("amount", "fragment"),
    [
        ("-25.00", "more than zero"),
        ("0", "more than zero"),
        ("0.00", "more than zero"),
        ("10.005", "decimal places"),
        ("123456789012.00", "digits"),
        ("1e20", "digits"),
        ("100000.01", "cannot be more than"),
        ("abc", "valid number"),
        ("NaN", "valid number"),
        ("Infinity", "valid number"),
        ("", "valid number"),
    ],
)
def test_a_bad_charge_amount_is_named_and_nothing_is_written(client, world, counts, amount, fragment):
    before = counts()
    response = client.post(f"{B}/entries/charge/", charge(world, amount=amount), format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["amount"]
    assert fragment in response.json()["amount"][0]
    assert counts() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "payment"}, "kind"),
        ({"kind": "bogus"}, "kind"),
        ({"effective_on": "2026-02-30"}, "effective_on"),
        ({"effective_on": "2026-06-16"}, "effective_on"),
        ({"resident": 999999}, "resident"),
        ({"resident": "abc"}, "resident"),
        ({"memo": "x" * 301}, "memo"),
        ({"colour": "blue"}, "colour"),
        ({"memo": "a\x00b"}, "memo"),
    ],
)
def test_a_bad_charge_field_is_named_and_nothing_is_written(client, world, counts, overrides, field):
    before = counts()
    response = client.post(f"{B}/entries/charge/", charge(world, **overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert counts() == before


def test_a_charge_for_another_organizations_resident_does_not_exist(client, world, counts):
    before = counts()
    response = client.post(f"{B}/entries/charge/", charge(world, resident=world["foreign_resident"].pk), format="json")
    assert response.status_code == 400
    assert "does not exist" in response.json()["resident"][0]
    assert counts() == before


def test_a_missing_amount_is_named(client, world):
    body = charge(world)
    del body["amount"]
    response = client.post(f"{B}/entries/charge/", body, format="json")
    assert response.json() == {"amount": ["This field is required."]}


def test_reversing_twice_is_a_conflict_naming_the_entry(client, world, counts):
    url = f"{B}/entries/{world['own_entry'].pk}/reverse/"
    assert client.post(url, {}, format="json").status_code == 201
    before = counts()
    response = client.post(url, {}, format="json")
    assert response.status_code == 409
    assert "already reversed" in response.json()["entry"][0]
    assert counts() == before


def test_reversing_a_reversal_is_refused_naming_the_entry(client, world, counts):
    reversal = client.post(f"{B}/entries/{world['own_entry'].pk}/reverse/", {}, format="json").json()
    before = counts()
    response = client.post(f"{B}/entries/{reversal['id']}/reverse/", {}, format="json")
    assert response.status_code == 400
    assert "cannot be reversed" in response.json()["entry"][0]
    assert counts() == before


def test_a_reversal_dated_before_its_entry_is_refused(client, world, counts):
    before = counts()
    response = client.post(
        f"{B}/entries/{world['own_entry'].pk}/reverse/", {"effective_on": "2026-03-01"}, format="json"
    )
    assert response.status_code == 400
    assert "effective_on" in response.json()
    assert counts() == before


def test_a_refund_beyond_the_credit_is_refused(client, world, counts):
    before = counts()
    response = client.post(f"{B}/entries/refund/", {"resident": world["member"].pk, "amount": "350.01"}, format="json")
    assert response.status_code == 400
    assert "350.00" in response.json()["amount"][0]
    assert counts() == before


def test_a_credit_without_a_reason_is_refused(client, world, counts):
    before = counts()
    response = client.post(f"{B}/entries/credit/", {"resident": world["member"].pk, "amount": "5"}, format="json")
    assert response.json() == {"memo": ["This field is required."]}
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"method": "check"}, "reference"),
        ({"method": "money_order", "reference": " "}, "reference"),
        ({"method": "agency"}, "payer_name"),
        ({"method": "voucher"}, "payer_name"),
        ({"method": "card"}, "method"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "5.555"}, "amount"),
        ({"amount": "99999999999.99"}, "amount"),
        ({"received_on": "2026-07-01"}, "received_on"),
        ({"received_on": "yesterday"}, "received_on"),
        ({"received_by": "{resident_member}"}, "received_by"),
        ({"received_by": 99999}, "received_by"),
    ],
)
def test_a_bad_payment_is_named_and_nothing_is_written(client, world, counts, body, field):
    payload = {"resident": world["member"].pk, "method": "cash", "amount": "50.00", **body}
    if payload.get("received_by") == "{resident_member}":
        payload["received_by"] = world["member"].membership_id
    before = counts()
    response = client.post(f"{B}/payments/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"due_day": 32, "period": "monthly"}, "due_day"),
        ({"period": "weekly", "due_day": 3}, "due_weekday"),
        ({"period": "fortnightly", "due_day": 1}, "period"),
        ({"due_day": 5}, "period"),
        ({"amount": "0"}, "amount"),
        ({"starts_on": "2025-12-01"}, "starts_on"),
        ({"amount": "1.234"}, "amount"),
    ],
)
def test_a_bad_rent_schedule_is_named_and_nothing_is_written(client, world, counts, body, field):
    before = counts()
    response = client.post(f"{B}/rent-schedules/", {"stay": world["own_stay"].pk, **body}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert counts() == before


def test_a_schedule_over_billed_nights_is_refused(client, world, counts):
    from billing.services.rent import rent_post_due

    rent_post_due(on=date(2026, 6, 1))
    before = counts()
    response = client.post(
        f"{B}/rent-schedules/",
        {"stay": world["other_stay"].pk, "amount": "500", "starts_on": "2026-06-10"},
        format="json",
    )
    assert response.status_code == 400
    assert "already billed" in response.json()["starts_on"][0]
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rent_amount": "0"}, "rent_amount"),
        ({"rent_period": "weekly", "rent_due_day": 1}, "rent_due_weekday"),
        ({"late_fee_kind": "flat"}, "late_fee_amount"),
        ({"late_fee_kind": "percent", "late_fee_percent": "150"}, "late_fee_percent"),
        ({"late_fee_grace_days": 90}, "late_fee_grace_days"),
        ({"deposit_amount": "-1"}, "deposit_amount"),
        ({"house": "{house}"}, "house"),
    ],
)
def test_a_bad_policy_is_named_and_nothing_is_written(client, world, counts, body, field):
    payload = {"house": world["new_house"].pk, "rent_amount": "700.00", "rent_period": "monthly", "rent_due_day": 1}
    payload.update({key: world["house"].pk if value == "{house}" else value for key, value in body.items()})
    before = counts()
    response = client.post(f"{B}/policies/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"deductions": [{"reason": "Window", "amount": "301"}]}, "deductions"),
        ({"deductions": [{"reason": "", "amount": "10"}]}, "deductions"),
        ({"deductions": [{"reason": "Paint", "amount": "-10"}]}, "deductions"),
        ({"deductions": [{"reason": "Paint"}]}, "deductions"),
        ({"on": "2026-04-30"}, "on"),
        ({"on": "2026-07-01"}, "on"),
    ],
)
def test_a_bad_deposit_settlement_is_named_and_nothing_is_written(client, world, counts, body, field):
    before = counts()
    response = client.post(f"{B}/deposit-settlements/", {"stay": world["departed_stay"].pk, **body}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert counts() == before


def test_settling_an_open_stays_deposit_is_refused(client, world, counts):
    before = counts()
    response = client.post(f"{B}/deposit-settlements/", {"stay": world["own_stay"].pk}, format="json")
    assert response.status_code == 400
    assert "stay" in response.json()
    assert counts() == before


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("entries/?kind=bogus", "kind"),
        ("entries/?effective_after=soon", "effective_after"),
        ("entries/?house=abc", "house"),
        ("entries/?reversed=maybe", "reversed"),
        ("entries/?ordering=password", "ordering"),
        ("entries/?colour=red", "colour"),
        ("payments/?method=bitcoin", "method"),
        ("payments/?status=lost", "status"),
        ("rent-schedules/?period=daily", "period"),
        ("balances/?owing=maybe", "owing"),
        ("balances/?ordering=ssn", "ordering"),
        ("balance/?resident=abc", "resident"),
        ("balance/?resident=0", "resident"),
        ("balance/", "resident"),
        ("balance/?colour=red", "colour"),
        ("aging/?house=abc", "house"),
        ("aging/?as_of=2026-13-01", "as_of"),
        ("delinquency/?ordering=bogus", "ordering"),
        ("delinquency/?min_days=-1", "min_days"),
        ("delinquency/?page_size=1000", "page_size"),
        ("open-charges/?resident=x", "resident"),
        ("statement/?resident=1", "start"),
        ("statement/?start=2026-03-31&end=2026-03-01", "end"),
    ],
)
def test_a_bad_query_parameter_is_named(client, path, field):
    response = client.get(f"{B}/{path}")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_absurd_ids_are_not_found(client):
    for pk in ["99999999999999999999999", "0", "-3"]:
        assert client.get(f"{B}/entries/{pk}/").status_code == 404
    assert client.get(f"{B}/balance/?resident=9223372036854775807").status_code == 404
