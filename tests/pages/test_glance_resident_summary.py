"""A resident's page opens with a summary (balance, phase, next test, out or in, unsigned rules) linking to its
sections."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import time_machine

from billing.services.ledger import charge_post
from residents.program.services import signouts as signout_services
from tests.factories import admit
from tests.residents.drug_tests_factories import request_test
from tests.residents.phases_factories import local, make_phases
from tests.residents.rules_factories import publish_defaults, sign

NOW = datetime(2026, 3, 11, 15, 0, tzinfo=ZoneInfo("America/Chicago"))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _wednesday_afternoon():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def stay(operator, organization, house):
    make_phases(organization)
    publish_defaults(operator)
    return admit(house, actor=operator, on=TODAY - timedelta(days=20), legal_first_name="Sam", legal_last_name="Sumner")


def _summary(client, resident) -> dict[str, str]:
    """The summary's figures as a person reads them: each label with its text, spaces squeezed."""
    html = client.get(f"/dashboard/residents/{resident.pk}/").content.decode()
    [summary] = lxml.html.fromstring(html).cssselect("#summary")
    return {
        " ".join(item.cssselect("dt")[0].text_content().split()): " ".join(
            item.cssselect("dd")[0].text_content().split()
        )
        for item in summary.cssselect("dl > div")
    }


def _links(client, resident) -> dict[str, str]:
    html = client.get(f"/dashboard/residents/{resident.pk}/").content.decode()
    [summary] = lxml.html.fromstring(html).cssselect("#summary")
    return {" ".join(a.text_content().split()): a.get("href") for a in summary.cssselect("dd a")}


def test_the_summary_comes_first_on_the_page(page, manager, stay):
    html = page(manager).get(f"/dashboard/residents/{stay.resident.pk}/").content.decode()
    [first] = lxml.html.fromstring(html).cssselect("main section.card")[:1]
    assert first.get("id") == "summary"


def test_the_summary_shows_the_balance_and_since_when_it_is_past_due(page, manager, operator, stay):
    charge_post(
        actor=operator, resident=stay.resident, kind="program_fee", amount="1725.00",
        effective_on=TODAY - timedelta(days=6),
    )  # fmt: skip
    figures = _summary(page(manager), stay.resident)
    assert figures["Balance"] == "$1,725.00 Past due since Mar 5 $1,725.00, 6 days"


def test_a_resident_who_owes_nothing_reads_paid_up(page, manager, stay):
    assert _summary(page(manager), stay.resident)["Balance"] == "Paid up"


def test_the_summary_shows_the_phase_the_next_test_and_that_the_resident_is_in(page, manager, operator, stay):
    request_test(operator, stay.resident, due_on=TODAY + timedelta(days=2))
    figures = _summary(page(manager), stay.resident)
    assert figures["Phase"] == f"Stabilization since {stay.move_in:%b} {stay.move_in.day}"
    assert figures["Next test"] == "Due Mar 13"
    assert figures["Out or in"] == "In"


def test_the_summary_says_where_a_resident_signed_out_to_and_when_they_are_due_back(page, manager, operator, stay):
    back_by = local(stay.house.organization, TODAY, 21, 0)
    signout_services.signout_create(actor=operator, stay=stay, destination="Work", expected_return_at=back_by)
    assert _summary(page(manager), stay.resident)["Out or in"] == "Out Work, back by 9:00 PM"


def test_the_summary_flags_house_rules_not_signed_until_they_are(page, manager, stay):
    client = page(manager)
    assert _summary(client, stay.resident)["House rules"] == "Not signed version 1"
    sign(stay.resident, stay.house)
    assert _summary(client, stay.resident)["House rules"] == "Signed"


def test_each_figure_links_to_its_section_on_the_page(page, manager, operator, stay):
    request_test(operator, stay.resident, due_on=TODAY)
    client = page(manager)
    links = _links(client, stay.resident)
    assert links == {
        "Paid up": "#ledger",
        "Stabilization": "#phase",
        "Due today": "#drug-tests",
        "In": "#sign-outs",
        "Not signed version 1": "#rules",
    }
    html = client.get(f"/dashboard/residents/{stay.resident.pk}/").content.decode()
    document = lxml.html.fromstring(html)
    for anchor in links.values():
        assert document.cssselect(anchor), f"the page has no section {anchor}"
