"""The residents list defaults to people living in a house now (a filter shows past residents too) and sorts by
balance or by days past due, through its own GET form and its sort links."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import time_machine

from billing.services.ledger import charge_post
from residents.core.services.stays import stay_discharge
from tests.factories import admit

NOW = datetime(2026, 3, 11, 15, 0, tzinfo=ZoneInfo("America/Chicago"))
TODAY = NOW.date()
LIST = "/dashboard/residents/"


@pytest.fixture(autouse=True)
def _wednesday_afternoon():
    with time_machine.travel(NOW, tick=False):
        yield


def _names(response) -> list[str]:
    """Last names in the table, top to bottom, as a person reads them."""
    document = lxml.html.fromstring(response.content.decode())
    return [cell.text_content().split(",")[0].strip() for cell in document.cssselect("table tbody tr td:first-child")]


@pytest.fixture
def people(operator, house, resident_factory):
    """Living here now: Adams owes 300 (past due 20 days), Baker owes 900 (past due 5 days), Clark owes nothing.
    Dunn lived here and was discharged; Evans never lived in a house."""
    living = {}
    for last_name in ("Adams", "Baker", "Clark", "Dunn"):
        stay = admit(house, actor=operator, on=TODAY - timedelta(days=60), legal_last_name=last_name)
        living[last_name] = stay
    charge_post(
        actor=operator, resident=living["Adams"].resident, kind="program_fee", amount="300.00",
        effective_on=TODAY - timedelta(days=20),
    )  # fmt: skip
    charge_post(
        actor=operator, resident=living["Baker"].resident, kind="program_fee", amount="900.00",
        effective_on=TODAY - timedelta(days=5),
    )  # fmt: skip
    stay_discharge(actor=operator, stay=living["Dunn"], on=TODAY - timedelta(days=3), reason="completed")
    resident_factory(legal_last_name="Evans")
    return living


def test_the_list_shows_only_people_living_in_a_house_now_by_default(page, manager, people):
    response = page(manager).get(LIST)
    assert _names(response) == ["Adams", "Baker", "Clark"]
    assert "selected>Living in a house now</option>" in response.content.decode()


def test_choosing_anyone_shows_past_residents_and_people_never_admitted_too(page, manager, people):
    response = page(manager).submit(LIST, {"status": "all"}, form="form.filters")
    assert _names(response) == ["Adams", "Baker", "Clark", "Dunn", "Evans"]


def test_choosing_discharged_shows_only_past_residents(page, manager, people):
    response = page(manager).submit(LIST, {"status": "past"}, form="form.filters")
    assert _names(response) == ["Dunn"]


def test_a_search_finding_nobody_living_here_offers_to_look_among_past_residents(page, manager, people):
    client = page(manager)
    response = client.submit(LIST, {"q": "dunn"}, form="form.filters")
    assert _names(response) == []
    document = lxml.html.fromstring(response.content.decode())
    [link] = [a for a in document.cssselect(".empty a") if a.text_content() == "look among past residents too"]
    assert _names(client.get(LIST + link.get("href"))) == ["Dunn"]


def test_sorting_by_balance_puts_the_largest_balance_first(page, manager, people):
    response = page(manager).submit(LIST, {"sort": "balance"}, form="form.filters")
    assert _names(response) == ["Baker", "Adams", "Clark"]


def test_sorting_by_days_past_due_puts_the_longest_overdue_first(page, manager, people):
    response = page(manager).submit(LIST, {"sort": "past_due"}, form="form.filters")
    assert _names(response) == ["Adams", "Baker", "Clark"]
    body = " ".join(response.content.decode().split())
    assert 'Past due 20 days</span> <span class="muted small">since Feb 19' in body


def test_the_sort_links_keep_the_filters_chosen(page, manager, people):
    client = page(manager)
    response = client.submit(LIST, {"status": "all"}, form="form.filters")
    document = lxml.html.fromstring(response.content.decode())
    [link] = [a for a in document.cssselect(".sort-links a") if a.text_content() == "Balance, highest first"]
    assert _names(client.get(LIST + link.get("href"))) == ["Baker", "Adams", "Clark", "Dunn", "Evans"]
