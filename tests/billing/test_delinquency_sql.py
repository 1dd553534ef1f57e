"""The delinquency list and the aging totals computed by the database (billing/selectors/owing.py): the same figures
as the Python allocation they replaced, on a ledger worked by hand. Today is June 15, 2026.

The hand-made ledger (Maple House is the manager's, Willow House is not):

- Ann Adams (Maple): 100 on Mar 1, May 1 and Jun 1; paid 150 on May 20; credited 20 on Jun 2. The 170 pays March
  and 70 of May: owes 30 since May 1 (45 days, 31-60) and 100 since Jun 1 (1-30): 130.
- Ben Baker (Maple): 200 on Mar 1, 100 on Apr 10; a credit of 60 linked to the April charge on Apr 20; paid 100 on
  May 1. The linked credit pays April first (40 left); the payment pays 100 of March: owes 100 since Mar 1 (106
  days, over 90) and 40 since Apr 10 (66 days, 61-90): 140.
- Cal Cruz: 300 on Feb 1 at Maple, moved to Willow on Mar 1, 200 on Apr 1 at Willow, paid 100 on Apr 2 (pays
  Maple's February charge first): owes 200 at Maple since Feb 1 (134 days) and 200 at Willow since Apr 1 (75 days).
- Dee Diaz (Maple), discharged on Mar 1 still owing: 500 on Feb 10, paid 100 on Feb 20: owes 400 (125 days).
- Eve Evans lived in Willow (80 on Jan 20, left Feb 1 without paying) and lives in Maple since Mar 1 (60 on Jun 14):
  owes 80 at Willow (146 days) and 60 at Maple (1 day): 140.
- Fay Fox (Maple): 100 on Mar 1, paid 130 on Mar 5: 30 in credit.
- "Gus" Gustavo Gray (Maple): 500 on Feb 1, reversed on Jun 10; 100 on Jun 1: owes 100 (14 days).
- Hal Hill (Maple): 100 due today: in the aging (current), not yet delinquent.
"""

from dataclasses import asdict
from datetime import date, timedelta
from decimal import Decimal

import hypothesis
import pytest
from django.db import transaction
from hypothesis import strategies as st

from billing.selectors.aging import (
    DelinquentResident,
    aging_report,
    delinquency,
    house_scope,
    owing_over_alert,
    positions,
)
from billing.selectors.allocation import ZERO, buckets_of
from billing.services.ledger import charge_post, credit_post, entry_reverse, post_entry, reverse_entry
from billing.services.payments import payment_record
from residents.core.services.stays import stay_transfer
from residents.models import Resident
from tests.factories import HouseFactory, admit

from .conftest import discharge, make_policy

D = Decimal
B = "/api/v1/billing"


# --- the Python allocation the SQL replaced, kept as the oracle -----------------------------------------------------


def python_delinquency(*, viewer, house=None, on=None, ordering="-amount", search="", min_days=1):
    """billing.selectors.aging.delinquency as it was before it was computed in SQL."""
    from houses.models import House

    on = on or viewer.organization.today()
    house_ids = house_scope(viewer=viewer, house=house)
    owing = {}
    for resident_id, position in positions(organization_id=viewer.organization_id, house_ids=house_ids, on=on).items():
        charges = [c for c in position.open_charges if house_ids is None or c.house_id in house_ids]
        if charges and max(c.days_past for c in charges) >= min_days:
            owing[resident_id] = (position, charges)
    residents = Resident.objects.filter(pk__in=owing)
    names = {r.pk: (r.display_name, (r.legal_last_name.lower(), r.legal_first_name.lower())) for r in residents}
    house_names = dict(
        House.objects.filter(pk__in={c[0].house_id for _p, c in owing.values()}).values_list("pk", "name")
    )
    rows = []
    for resident_id, (position, charges) in owing.items():
        name, sort_name = names[resident_id]
        if search.strip().lower() not in name.lower():
            continue
        oldest = charges[0]
        rows.append(
            DelinquentResident(
                resident_id=resident_id,
                resident_name=name,
                house_id=oldest.house_id,
                house_name=house_names[oldest.house_id],
                owed=sum((c.open for c in charges), ZERO),
                balance=position.balance,
                oldest_due_on=oldest.effective_on,
                days_overdue=oldest.days_past,
                buckets=buckets_of(charges),
                sort_name=sort_name,
            )
        )
    keys = {
        "amount": lambda row: (row.owed, row.resident_name),
        "age": lambda row: (row.days_overdue, row.owed),
        "name": lambda row: (row.sort_name, row.resident_id),
    }
    rows.sort(key=keys[ordering.lstrip("-")], reverse=ordering.startswith("-"))
    return rows


def python_aging(*, viewer, house=None, on=None):
    """The figures of billing.selectors.aging.aging_report as they were computed in Python."""
    on = on or viewer.organization.today()
    house_ids = house_scope(viewer=viewer, house=house)
    all_positions = positions(organization_id=viewer.organization_id, house_ids=house_ids, on=on)
    charges = [
        c for p in all_positions.values() for c in p.open_charges if house_ids is None or c.house_id in house_ids
    ]
    credits = [
        p.credit for p in all_positions.values() if p.credit > 0 and (house_ids is None or p.last_house_id in house_ids)
    ]
    return {
        "buckets": buckets_of(charges),
        "residents_owing": len({c.resident_id for c in charges}),
        "credit_balances": sum(credits, ZERO),
        "residents_in_credit": len(credits),
    }


def _rows(rows):
    return [asdict(row) for row in rows]


# --- the ledger -----------------------------------------------------------------------------------------------------


@pytest.fixture
def ledger(operator, house, other_house, resident_factory):
    """The residents of the module docstring, by last name."""

    def person(first, last, **fields):
        return resident_factory(legal_first_name=first, legal_last_name=last, **fields)

    def charge(resident, amount, on):
        return charge_post(actor=operator, resident=resident, kind="other", amount=amount, memo="Test", effective_on=on)

    def pay(resident, amount, on):
        payment_record(actor=operator, resident=resident, method="cash", amount=amount, received_on=on)

    adams = admit(house, date(2026, 1, 5), resident=person("Ann", "Adams")).resident
    for on in (date(2026, 3, 1), date(2026, 5, 1), date(2026, 6, 1)):
        charge(adams, "100", on)
    pay(adams, "150", date(2026, 5, 20))
    credit_post(actor=operator, resident=adams, amount="20", memo="Goodwill", effective_on=date(2026, 6, 2))

    baker_stay = admit(house, date(2026, 1, 5), resident=person("Ben", "Baker"))
    charge(baker_stay.resident, "200", date(2026, 3, 1))
    april = charge(baker_stay.resident, "100", date(2026, 4, 10))
    post_entry(stay=baker_stay, kind="credit", amount=D("-60.00"), effective_on=date(2026, 4, 20), for_charge=april)
    pay(baker_stay.resident, "100", date(2026, 5, 1))

    cruz_stay = admit(house, date(2026, 1, 5), resident=person("Cal", "Cruz"))
    charge(cruz_stay.resident, "300", date(2026, 2, 1))
    stay_transfer(actor=operator, stay=cruz_stay, bed=other_house.beds.first(), on=date(2026, 3, 1))
    charge(cruz_stay.resident, "200", date(2026, 4, 1))
    pay(cruz_stay.resident, "100", date(2026, 4, 2))

    diaz_stay = admit(house, date(2026, 1, 5), resident=person("Dee", "Diaz"))
    charge(diaz_stay.resident, "500", date(2026, 2, 10))
    pay(diaz_stay.resident, "100", date(2026, 2, 20))
    discharge(diaz_stay, date(2026, 3, 1))

    evans_stay = admit(other_house, date(2026, 1, 5), resident=person("Eve", "Evans"))
    charge(evans_stay.resident, "80", date(2026, 1, 20))
    discharge(evans_stay, date(2026, 2, 1))
    admit(house, date(2026, 3, 1), resident=evans_stay.resident)
    charge(evans_stay.resident, "60", date(2026, 6, 14))

    fox = admit(house, date(2026, 1, 5), resident=person("Fay", "Fox")).resident
    charge(fox, "100", date(2026, 3, 1))
    pay(fox, "130", date(2026, 3, 5))

    gray = admit(house, date(2026, 1, 5), resident=person("Gustavo", "Gray", preferred_name="Gus")).resident
    mistake = charge(gray, "500", date(2026, 2, 1))
    charge(gray, "100", date(2026, 6, 1))
    entry_reverse(actor=operator, entry=mistake, effective_on=date(2026, 6, 10))

    hill = admit(house, date(2026, 1, 5), resident=person("Hal", "Hill")).resident
    charge(hill, "100", date(2026, 6, 15))
    return {r.legal_last_name: r for r in Resident.objects.filter(organization=operator.organization)}


def _names(rows):
    return [row.resident_name for row in rows]


def _buckets(current="0", d30="0", d60="0", d90="0", over="0"):
    return {"current": D(current), "1_30": D(d30), "31_60": D(d60), "61_90": D(d90), "over_90": D(over)}


# --- the figures, by hand ---------------------------------------------------------------------------------------------


def test_the_organizations_delinquency_list_holds_the_hand_computed_figures(operator, house, other_house, ledger):
    rows = {row.resident_name: row for row in delinquency(viewer=operator)}
    assert set(rows) == {"Ann Adams", "Ben Baker", "Cal Cruz", "Dee Diaz", "Eve Evans", "Gus Gray"}
    expected = {
        "Ann Adams": (D("130.00"), D("130.00"), house, date(2026, 5, 1), 45, _buckets(d30="100", d60="30")),
        "Ben Baker": (D("140.00"), D("140.00"), house, date(2026, 3, 1), 106, _buckets(d90="40", over="100")),
        "Cal Cruz": (D("400.00"), D("400.00"), house, date(2026, 2, 1), 134, _buckets(d90="200", over="200")),
        "Dee Diaz": (D("400.00"), D("400.00"), house, date(2026, 2, 10), 125, _buckets(over="400")),
        "Eve Evans": (D("140.00"), D("140.00"), other_house, date(2026, 1, 20), 146, _buckets(d30="60", over="80")),
        "Gus Gray": (D("100.00"), D("100.00"), house, date(2026, 6, 1), 14, _buckets(d30="100")),
    }
    for name, (owed, balance, where, since, days, buckets) in expected.items():
        row = rows[name]
        assert (row.owed, row.balance, row.house_id, row.house_name) == (owed, balance, where.pk, where.name), name
        assert (row.oldest_due_on, row.days_overdue, row.buckets) == (since, days, buckets), name


def test_a_houses_delinquency_list_counts_only_what_was_posted_there(operator, house, other_house, ledger):
    maple = {row.resident_name: row for row in delinquency(viewer=operator, house=house)}
    willow = {row.resident_name: row for row in delinquency(viewer=operator, house=other_house)}
    assert (maple["Cal Cruz"].owed, maple["Cal Cruz"].balance) == (D("200.00"), D("400.00"))
    assert (maple["Eve Evans"].owed, maple["Eve Evans"].oldest_due_on, maple["Eve Evans"].days_overdue) == (
        D("60.00"),
        date(2026, 6, 14),
        1,
    )
    assert set(willow) == {"Cal Cruz", "Eve Evans"}
    assert (willow["Cal Cruz"].owed, willow["Cal Cruz"].days_overdue) == (D("200.00"), 75)


def test_the_default_order_is_most_owed_first_then_name_descending(operator, ledger):
    assert _names(delinquency(viewer=operator)) == [
        "Dee Diaz",
        "Cal Cruz",
        "Eve Evans",
        "Ben Baker",
        "Ann Adams",
        "Gus Gray",
    ]


def test_the_aging_totals_hold_the_hand_computed_figures(operator, house, other_house, ledger):
    whole = aging_report(viewer=operator)
    assert whole["buckets"] == _buckets(current="100", d30="260", d60="30", d90="240", over="780")
    assert (whole["total_owed"], whole["residents_owing"]) == (D("1410.00"), 7)
    assert (whole["credit_balances"], whole["residents_in_credit"]) == (D("30.00"), 1)
    willow = aging_report(viewer=operator, house=other_house)
    assert willow["buckets"] == _buckets(d90="200", over="80")
    assert (willow["residents_owing"], willow["credit_balances"]) == (2, D("0.00"))


# --- the same as the Python allocation ------------------------------------------------------------------------------


@pytest.mark.parametrize("ordering", ["-amount", "amount", "-age", "age", "name", "-name"])
def test_the_sql_list_equals_the_python_allocation_in_every_order(operator, ledger, ordering):
    assert _rows(delinquency(viewer=operator, ordering=ordering)) == _rows(
        python_delinquency(viewer=operator, ordering=ordering)
    )


def test_the_sql_list_equals_the_python_allocation_for_each_scope_day_and_age(
    operator, manager, house, other_house, ledger
):
    cases = [
        {"viewer": operator, "house": house},
        {"viewer": operator, "house": other_house},
        {"viewer": manager},
        {"viewer": operator, "on": date(2026, 4, 15)},
        {"viewer": operator, "min_days": 0},
        {"viewer": operator, "min_days": 100},
        {"viewer": operator, "search": "a"},
    ]
    for case in cases:
        assert _rows(delinquency(**case)) == _rows(python_delinquency(**case)), case


def test_the_sql_aging_equals_the_python_allocation_for_each_scope_and_day(
    operator, manager, house, other_house, ledger
):
    cases = [
        {"viewer": operator},
        {"viewer": operator, "house": house},
        {"viewer": operator, "house": other_house},
        {"viewer": manager},
        {"viewer": operator, "on": date(2026, 3, 3)},
    ]
    for case in cases:
        report = aging_report(**case)
        assert {key: report[key] for key in python_aging(**case)} == python_aging(**case), case


def test_the_owing_widget_rows_equal_the_python_allocation_above_the_alert(operator, house, other_house, ledger):
    make_policy(house, owing_alert_above=D("130.00"))  # Willow keeps the default alert amount, 100
    expected = [
        row
        for row in python_delinquency(viewer=operator)
        if row.owed > {house.pk: D("130")}.get(row.house_id, D("100"))
    ]
    assert _names(expected) == ["Dee Diaz", "Cal Cruz", "Eve Evans", "Ben Baker"]
    assert _rows(owing_over_alert(viewer=operator)) == _rows(expected)


# --- filters and pages ----------------------------------------------------------------------------------------------


def test_the_search_matches_the_name_residents_go_by(operator, ledger):
    assert _names(delinquency(viewer=operator, search="GUS")) == ["Gus Gray"]
    assert _names(delinquency(viewer=operator, search="gustavo")) == []
    assert _names(delinquency(viewer=operator, search=" dee ")) == ["Dee Diaz"]


def test_the_list_can_keep_one_bucket_or_a_minimum_owed(operator, ledger):
    assert _names(delinquency(viewer=operator, bucket="over_90", ordering="name")) == [
        "Ben Baker",
        "Cal Cruz",
        "Dee Diaz",
        "Eve Evans",
    ]
    assert _names(delinquency(viewer=operator, min_owed=D("140.00"))) == [
        "Dee Diaz",
        "Cal Cruz",
        "Eve Evans",
        "Ben Baker",
    ]


def test_a_slice_of_the_list_is_the_same_rows_as_the_whole_list_sliced(operator, ledger, django_assert_num_queries):
    rows = delinquency(viewer=operator, ordering="name")
    with django_assert_num_queries(2):
        assert len(rows) == 6
        page = rows[2:4]
    assert _rows(page) == _rows(list(delinquency(viewer=operator, ordering="name"))[2:4])


def test_the_api_pages_the_list_with_the_filters(api, operator, ledger):
    body = api(operator).get(f"{B}/delinquency/?ordering=name&page_size=2&page=2&min_owed=130").json()
    assert body["count"] == 5  # all but Gray, who owes 100
    assert [row["resident_name"] for row in body["results"]] == ["Cal Cruz", "Dee Diaz"]
    body = api(operator).get(f"{B}/delinquency/?ordering=name&page_size=2&page=3&min_owed=130").json()
    assert [row["resident_name"] for row in body["results"]] == ["Eve Evans"]
    assert body["results"][0]["buckets"] == {
        "current": "0.00",
        "1_30": "60.00",
        "31_60": "0.00",
        "61_90": "0.00",
        "over_90": "80.00",
    }
    by_bucket = api(operator).get(f"{B}/delinquency/?bucket=31_60").json()
    assert [row["resident_name"] for row in by_bucket["results"]] == ["Ann Adams"]


def test_the_api_refuses_an_unknown_bucket_or_a_negative_minimum(api, operator):
    assert "bucket" in api(operator).get(f"{B}/delinquency/?bucket=1_2").json()
    assert "min_owed" in api(operator).get(f"{B}/delinquency/?min_owed=-1").json()


# --- who sees what, and what it costs ---------------------------------------------------------------------------------


def test_a_manager_sees_only_the_charges_of_their_houses(api, manager, other_house, ledger):
    names = [row["resident_name"] for row in api(manager).get(f"{B}/delinquency/").json()["results"]]
    assert "Cal Cruz" in names  # owes at Maple too
    evans = next(
        row for row in api(manager).get(f"{B}/delinquency/").json()["results"] if row["resident_name"] == "Eve Evans"
    )
    assert evans["owed"] == "60.00"  # Willow's 80 is not the manager's
    assert api(manager).get(f"{B}/delinquency/?house={other_house.pk}").status_code == 404


def test_a_resident_sees_no_delinquency_list(api, resident_member):
    assert api(resident_member).get(f"{B}/delinquency/").status_code == 403


def _owing_residents(organization, count):
    house = HouseFactory(organization=organization, beds=count)
    for _n in range(count):
        resident = admit(house, date(2026, 1, 5)).resident
        charge_post(
            actor=organization.memberships.filter(role="operator").first(),
            resident=resident,
            kind="other",
            amount="50",
            memo="Test",
            effective_on=date(2026, 5, 1),
        )


@pytest.mark.parametrize("count", [2, 40])
def test_the_delinquency_and_aging_apis_cost_the_same_queries_for_2_or_40_residents(
    api, operator, count, django_assert_max_num_queries
):
    _owing_residents(operator.organization, count)
    client = api(operator)
    with django_assert_max_num_queries(8):
        body = client.get(f"{B}/delinquency/?page_size=50").json()
    assert body["count"] == count
    with django_assert_max_num_queries(6):
        assert client.get(f"{B}/aging/").json()["residents_owing"] == count


# --- random ledgers -------------------------------------------------------------------------------------------------

_ENTRY = st.tuples(
    st.integers(0, 2),  # resident
    st.sampled_from(["charge", "credit", "linked credit", "reverse"]),
    st.integers(1, 400),  # dollars
    st.integers(0, 160),  # days after Jan 1
    st.integers(0, 1),  # house
)


@hypothesis.settings(
    max_examples=40, deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture]
)
@hypothesis.given(entries=st.lists(_ENTRY, max_size=14), day=st.integers(0, 170))
def test_on_any_ledger_the_sql_owes_what_the_python_allocation_owes(operator, house, other_house, entries, day):
    with transaction.atomic():
        stays = [admit(house, date(2026, 1, 1)) for _n in range(3)]
        posted, reversed_ids = {n: [] for n in range(3)}, set()
        for who, kind, dollars, days, where in entries:
            stay, on = stays[who], date(2026, 1, 1) + timedelta(days=days)
            at = (house, other_house)[where].pk
            charges = [e for e in posted[who] if e.amount > 0 and e.reverses_id is None and e.pk not in reversed_ids]
            if kind == "charge":
                posted[who].append(post_entry(stay=stay, kind="other", amount=D(dollars), effective_on=on, house_id=at))
            elif kind == "linked credit" and charges:
                posted[who].append(
                    post_entry(stay=stay, kind="credit", amount=-D(dollars), effective_on=on, for_charge=charges[-1])
                )
            elif kind == "reverse" and posted[who]:
                first = posted[who][0]
                if first.pk not in reversed_ids and first.effective_on <= on:
                    reversed_ids.add(first.pk)
                    posted[who].append(reverse_entry(entry=first, effective_on=on))
            else:
                posted[who].append(post_entry(stay=stay, kind="credit", amount=-D(dollars), effective_on=on))
        asked = {"viewer": operator, "on": date(2026, 1, 1) + timedelta(days=day), "min_days": 0}
        assert _rows(delinquency(**asked)) == _rows(python_delinquency(**asked))
        for scope in ({}, {"house": house}, {"house": other_house}):
            report = aging_report(viewer=operator, on=asked["on"], **scope)
            expected = python_aging(viewer=operator, on=asked["on"], **scope)
            assert {key: report[key] for key in expected} == expected
        transaction.set_rollback(True)
