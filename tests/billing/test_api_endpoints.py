"""What the billing endpoints answer: shapes, amounts as decimal strings, filters, search and ordering."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import EntryKind, LedgerEntry
from billing.services.ledger import charge_post, credit_post
from billing.services.payments import payment_record
from billing.services.rent import rent_post_due
from tests.factories import admit

B = "/api/v1/billing"


def test_a_resident_reads_their_own_balance(api, resident_member, world):
    # A 150.00 fee and a 500.00 payment: 350.00 in credit.
    assert api(resident_member).get(f"{B}/balance/").json() == {
        "balance": "-350.00",
        "pending": "0.00",
        "currency": "USD",
    }


def test_staff_name_the_resident_whose_balance_they_read(api, manager, world):
    body = api(manager).get(f"{B}/balance/?resident={world['member'].pk}").json()
    assert body == {"balance": "-350.00", "pending": "0.00", "currency": "USD"}


def test_the_balance_is_in_the_organizations_currency(api, resident_member, world, organization):
    organization.currency = "CAD"
    organization.save()
    assert api(resident_member).get(f"{B}/balance/").json()["currency"] == "CAD"


def test_a_pending_payment_shows_as_pending_not_in_the_balance(api, resident_member, world):
    from billing.models import Payment

    stay = world["own_stay"]
    Payment.objects.create(
        organization_id=stay.organization_id,
        resident_id=stay.resident_id,
        stay=stay,
        house_id=stay.house_id,
        method=Payment.Method.CASH,
        status=Payment.Status.PENDING,
        amount=Decimal("75.00"),
        received_on=date(2026, 6, 1),
    )
    assert api(resident_member).get(f"{B}/balance/").json() == {
        "balance": "-350.00",
        "pending": "75.00",
        "currency": "USD",
    }


def test_posting_a_charge_answers_the_entry(api, manager, world):
    body = {
        "resident": world["member"].pk,
        "kind": "fine",
        "amount": "25",
        "memo": "Curfew",
        "effective_on": "2026-06-01",
    }
    response = api(manager).post(f"{B}/entries/charge/", body, format="json")
    assert response.status_code == 201
    entry = response.json()
    assert (entry["kind"], entry["amount"], entry["effective_on"]) == ("fine", "25.00", "2026-06-01")
    assert (entry["house_name"], entry["created_by_name"]) == ("Maple House", "Marcus Manager")


def test_a_charge_without_a_date_is_dated_today(api, manager, world):
    body = {"resident": world["member"].pk, "kind": "program_fee", "amount": "10.00"}
    assert api(manager).post(f"{B}/entries/charge/", body, format="json").json()["effective_on"] == "2026-06-15"


def test_recording_a_payment_answers_its_receipt(api, manager, world):
    body = {"resident": world["member"].pk, "method": "money_order", "amount": "410.00", "reference": "MO-5521"}
    payment = api(manager).post(f"{B}/payments/", body, format="json").json()
    assert payment["receipt_number"] == 3  # two payments were recorded in the organization before
    assert payment["receipt_url"] == f"/billing/receipts/{payment['id']}/"
    assert payment["receipt_pdf_url"] == f"/billing/receipts/{payment['id']}/pdf/"
    assert (payment["status"], payment["amount"], payment["received_on"]) == ("completed", "410.00", "2026-06-15")
    assert LedgerEntry.objects.get(pk=payment["entry"]).amount == Decimal("-410.00")


def test_reversing_answers_the_reversal_and_the_entry_shows_it(api, manager, world):
    client = api(manager)
    reversal = client.post(f"{B}/entries/{world['own_entry'].pk}/reverse/", {"memo": "Waived"}, format="json").json()
    assert (reversal["kind"], reversal["amount"], reversal["reverses"]) == (
        "reversal",
        "-150.00",
        world["own_entry"].pk,
    )
    assert client.get(f"{B}/entries/{world['own_entry'].pk}/").json()["reversed_by"] == reversal["id"]


def test_a_refund_answers_the_entry(api, manager, world):
    refund = api(manager).post(f"{B}/entries/refund/", {"resident": world["member"].pk, "amount": "350"}, format="json")
    assert refund.json()["amount"] == "350.00"
    assert api(manager).get(f"{B}/balance/?resident={world['member'].pk}").json()["balance"] == "0.00"


def test_overriding_rent_answers_the_new_schedule(api, manager, world):
    body = {"stay": world["other_stay"].pk, "amount": "650.00"}
    response = api(manager).post(f"{B}/rent-schedules/", {**body, "stay": world["own_stay"].pk}, format="json")
    schedule = response.json()
    assert response.status_code == 201
    assert (schedule["amount"], schedule["period"], schedule["due"]) == ("650.00", "monthly", "day 1 of each month")
    assert (schedule["source"], schedule["starts_on"]) == ("override", "2026-06-15")


def test_settling_a_deposit_answers_the_settlement(api, manager, world):
    body = {
        "stay": world["departed_stay"].pk,
        "on": "2026-05-02",
        "deductions": [{"reason": "Cleaning", "amount": "40"}],
    }
    settlement = api(manager).post(f"{B}/deposit-settlements/", body, format="json").json()
    assert settlement["deposit_held"] == "300.00"
    assert settlement["deductions"][0]["reason"] == "Cleaning"
    assert settlement["deductions_total"] == "40.00"


def test_an_operator_sets_a_houses_policy(api, operator, world):
    body = {
        "house": world["new_house"].pk,
        "rent_amount": "200.00",
        "rent_period": "weekly",
        "rent_due_weekday": 0,
        "deposit_amount": "100.00",
        "late_fee_kind": "percent",
        "late_fee_percent": "5",
        "late_fee_grace_days": 3,
    }
    response = api(operator).post(f"{B}/policies/", body, format="json")
    assert response.status_code == 201
    assert response.json()["late_fee_percent"] == "5.00"
    stay = admit(world["new_house"], date(2026, 6, 1))
    assert stay.rent_schedules.get().period == "weekly"


POLICY = {"rent_amount": "200.00", "rent_period": "monthly", "rent_due_day": 1}


def test_a_second_policy_for_a_house_is_refused_on_the_house(api, operator, world):
    house = world["new_house"].pk
    assert api(operator).post(f"{B}/policies/", {"house": house, **POLICY}, format="json").status_code == 201
    response = api(operator).post(f"{B}/policies/", {"house": house, **POLICY}, format="json")
    assert response.status_code == 400
    assert response.json() == {"house": ["This house already has a billing policy; change that one."]}


def test_a_policy_cannot_move_to_another_house(api, operator, house, world):
    created = api(operator).post(f"{B}/policies/", {"house": world["new_house"].pk, **POLICY}, format="json").json()
    response = api(operator).patch(f"{B}/policies/{created['id']}/", {"house": house.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"house": ["A policy cannot move to another house."]}


# Filters, search and ordering


@pytest.fixture
def ledger(operator, house, world):
    """A Maple House resident with rent, a late fee, a fine and a payment."""
    resident = world["member"]
    charge_post(
        actor=operator,
        resident=resident,
        kind="rent",
        amount="900",
        memo="April rent",
        effective_on=date(2026, 4, 1),
    )
    charge_post(
        actor=operator,
        resident=resident,
        kind="late_fee",
        amount="25",
        memo="Late April",
        effective_on=date(2026, 4, 7),
    )
    charge_post(
        actor=operator, resident=resident, kind="fine", amount="40", memo="Lost key", effective_on=date(2026, 5, 2)
    )
    credit_post(actor=operator, resident=resident, amount="15", memo="Chore bonus", effective_on=date(2026, 5, 3))
    return resident


def _kinds(response):
    return [row["kind"] for row in response.json()["results"]]


def test_entries_filter_by_several_kinds(api, operator, ledger):
    response = api(operator).get(f"{B}/entries/?resident={ledger.pk}&kind=fine&kind=late_fee&ordering=effective_on")
    assert _kinds(response) == ["late_fee", "fine"]


def test_entries_filter_by_date_range(api, operator, ledger):
    response = api(operator).get(
        f"{B}/entries/?resident={ledger.pk}&effective_after=2026-04-02&effective_before=2026-05-02"
    )
    assert sorted(_kinds(response)) == ["fine", "late_fee"]


def test_entries_filter_by_house(api, operator, ledger, world):
    rows = api(operator).get(f"{B}/entries/?house={world['other_house'].pk}").json()["results"]
    assert {row["resident"] for row in rows} == {world["other_resident"].pk}


def test_entries_filter_by_whether_they_were_reversed(api, operator, world):
    client = api(operator)
    client.post(f"{B}/entries/{world['own_entry'].pk}/reverse/", {}, format="json")
    rows = client.get(f"{B}/entries/?reversed=true").json()["results"]
    assert [row["id"] for row in rows] == [world["own_entry"].pk]


def test_entries_search_the_memo_and_the_residents_name(api, operator, ledger):
    client = api(operator)
    assert _kinds(client.get(f"{B}/entries/?search=lost key")) == ["fine"]
    ledger.legal_last_name = "Quillfeather"
    ledger.save()
    names = {row["resident"] for row in client.get(f"{B}/entries/?search=quillfeath").json()["results"]}
    assert names == {ledger.pk}


def test_entries_are_newest_first_and_order_by_amount(api, operator, ledger):
    client = api(operator)
    dates = [row["effective_on"] for row in client.get(f"{B}/entries/?resident={ledger.pk}").json()["results"]]
    assert dates == sorted(dates, reverse=True)
    amounts = [
        Decimal(r["amount"])
        for r in client.get(f"{B}/entries/?resident={ledger.pk}&ordering=-amount").json()["results"]
    ]
    assert amounts == sorted(amounts, reverse=True)


def test_payments_filter_by_method_and_search_the_reference(api, operator, world):
    client = api(operator)
    payment_record(
        actor=operator,
        resident=world["member"],
        method="check",
        amount="60",
        reference="CHK-8812",
        received_on=date(2026, 6, 1),
    )
    assert [row["reference"] for row in client.get(f"{B}/payments/?method=check").json()["results"]] == ["CHK-8812"]
    assert client.get(f"{B}/payments/?search=8812").json()["count"] == 1
    assert client.get(f"{B}/payments/?received_after=2026-05-01").json()["count"] == 1


def test_balances_list_each_residents_balance_and_filter_the_owing(api, operator, world):
    client = api(operator)
    rows = {row["id"]: row["balance"] for row in client.get(f"{B}/balances/").json()["results"]}
    assert rows[world["member"].pk] == "-350.00"
    owing = {row["id"] for row in client.get(f"{B}/balances/?owing=true").json()["results"]}
    assert world["member"].pk not in owing
    assert world["other_resident"].pk in owing


def test_a_balance_of_cents_that_cancel_out_is_exactly_zero(api, operator, world):
    # 0.10 + 0.20 - 0.30 is not 0 in floating point (SQLite's sums); the balance must still be exactly zero.
    resident = admit(world["new_house"], date(2026, 2, 1)).resident
    for amount in ("0.10", "0.20"):
        charge_post(
            actor=operator, resident=resident, kind="fine", amount=amount, memo="", effective_on=date(2026, 3, 1)
        )
    payment_record(actor=operator, resident=resident, method="cash", amount="0.30", received_on=date(2026, 3, 2))
    client = api(operator)
    assert client.get(f"{B}/balance/?resident={resident.pk}").json()["balance"] == "0.00"
    assert resident.pk not in {row["id"] for row in client.get(f"{B}/balances/?owing=true").json()["results"]}
    assert resident.pk not in {row["id"] for row in client.get(f"{B}/balances/?in_credit=true").json()["results"]}


def test_balances_order_by_balance(api, operator, world):
    rows = api(operator).get(f"{B}/balances/?ordering=-balance").json()["results"]
    balances = [Decimal(row["balance"]) for row in rows]
    assert balances == sorted(balances, reverse=True)


def test_aging_answers_buckets_that_add_up(api, manager, world, house):
    rent_post_due(on=date(2026, 6, 15))
    body = api(manager).get(f"{B}/aging/?house={house.pk}").json()
    assert set(body["buckets"]) == {"current", "1_30", "31_60", "61_90", "over_90"}
    assert sum(Decimal(v) for v in body["buckets"].values()) == Decimal(body["total_owed"])
    assert body["currency"] == "USD"
    assert body["house"] == house.pk
    assert body["credit_balances"] == "350.00"  # the member's overpayment: their rent starts in July


def test_the_delinquency_list_pages_and_sorts(api, operator, world, house):
    rent_post_due(on=date(2026, 6, 15))
    client = api(operator)
    page = client.get(f"{B}/delinquency/?page_size=1&ordering=-age").json()
    assert page["count"] >= 2
    assert len(page["results"]) == 1
    everyone = client.get(f"{B}/delinquency/?ordering=-age").json()["results"]
    assert [row["days_overdue"] for row in everyone] == sorted((row["days_overdue"] for row in everyone), reverse=True)
    assert set(everyone[0]) == {
        "resident",
        "resident_name",
        "house",
        "house_name",
        "owed",
        "balance",
        "oldest_due_on",
        "days_overdue",
        "buckets",
    }


def test_open_charges_explain_what_is_owed(api, operator, resident_member, world):
    charge_post(
        actor=operator, resident=world["member"], kind="fine", amount="400", memo="", effective_on=date(2026, 5, 1)
    )
    rent_post_due(on=date(2026, 6, 15))
    body = api(resident_member).get(f"{B}/open-charges/").json()
    assert Decimal(body["owed"]) == sum(Decimal(row["open"]) for row in body["charges"])
    assert Decimal(body["owed"]) == Decimal(api(resident_member).get(f"{B}/balance/").json()["balance"])
    assert {row["bucket"] for row in body["charges"]} <= {"current", "1_30", "31_60", "61_90", "over_90"}


def test_a_resident_fetches_their_own_statement(api, resident_member, world):
    body = api(resident_member).get(f"{B}/statement/?start=2026-03-01&end=2026-03-31").json()
    assert (body["opening_balance"], body["closing_balance"]) == ("0.00", "-350.00")
    assert [(row["kind"], row["amount"], row["running_balance"]) for row in body["entries"]] == [
        ("program_fee", "150.00", "150.00"),
        ("payment", "-500.00", "-350.00"),
    ]


def test_the_schema_documents_every_billing_path(served_schema):
    paths = served_schema["paths"]
    for path in [
        "entries/",
        "entries/{id}/",
        "entries/charge/",
        "entries/credit/",
        "entries/refund/",
        "entries/{id}/reverse/",
        "payments/",
        "rent-schedules/",
        "policies/",
        "deposit-settlements/",
        "balance/",
        "balances/",
        "aging/",
        "delinquency/",
        "open-charges/",
        "statement/",
    ]:
        assert f"/api/v1/billing/{path}" in paths, path
    params = {p["name"] for p in paths["/api/v1/billing/entries/"]["get"]["parameters"]}
    assert {"house", "resident", "kind", "effective_after", "effective_before", "search", "ordering"} <= params


def test_rent_and_the_ledger_api_agree(api, operator, world):
    rent_post_due(on=date(2026, 6, 15))
    rows = (
        api(operator)
        .get(f"{B}/entries/?stay={world['other_stay'].pk}&kind=rent&ordering=effective_on")
        .json()["results"]
    )
    assert [row["amount"] for row in rows] == ["900.00"] * 5
    assert LedgerEntry.objects.filter(stay=world["other_stay"], kind=EntryKind.RENT).count() == 5
