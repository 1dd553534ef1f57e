"""The monthly metrics API pages through the houses; its totals always cover every house."""

from datetime import date

import pytest

from reports.metrics import Month, as_json, monthly_metrics
from residents.core.services.stays import stay_admit
from tests.factories import HouseFactory

MONTH = "2026-02"  # over at every instant the tests run on
URL = f"/api/v1/reports/monthly/?month={MONTH}"


@pytest.fixture
def five_houses(operator, resident_factory):
    """Five houses (names A House .. E House), one resident each from Feb 1."""
    houses = [HouseFactory(organization=operator.organization, name=f"{letter} House", beds=2) for letter in "EDCBA"]
    for house in houses:
        stay_admit(actor=operator, resident=resident_factory(), bed=house.beds.first(), on=date(2026, 2, 1))
    return houses


def test_a_page_holds_page_size_houses_by_name_and_the_totals_cover_them_all(api, operator, five_houses):
    body = api(operator).get(f"{URL}&page_size=2").json()
    assert body["count"] == 5
    assert [row["name"] for row in body["houses"]] == ["A House", "B House"]
    assert body["next"].endswith("page=2&page_size=2") or "page=2" in body["next"]
    assert body["previous"] is None
    whole = as_json(monthly_metrics(organization=operator.organization, month=Month.parse(MONTH)))
    assert body["totals"] == whole["totals"]
    assert body["totals"]["occupancy"]["occupied_bed_nights"] == 5 * 28


def test_the_last_page_holds_the_remaining_houses(api, operator, five_houses):
    body = api(operator).get(f"{URL}&page_size=2&page=3").json()
    assert [row["name"] for row in body["houses"]] == ["E House"]
    assert body["next"] is None
    assert body["houses"][0]["occupancy"]["occupied_bed_nights"] == 28


def test_the_houses_default_to_pages_of_fifty(api, operator, five_houses):
    body = api(operator).get(URL).json()
    assert (body["count"], len(body["houses"]), body["next"]) == (5, 5, None)


@pytest.mark.parametrize("query", ["page_size=0", "page_size=201", "page=0", "page=x"])
def test_a_bad_page_or_page_size_is_a_400_naming_it(api, operator, query):
    response = api(operator).get(f"{URL}&{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_a_page_past_the_last_is_a_404(api, operator, five_houses):
    assert api(operator).get(f"{URL}&page_size=2&page=4").status_code == 404
