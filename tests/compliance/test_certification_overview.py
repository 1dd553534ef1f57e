"""The organization's certification overview: rules down, houses across, each cell linking to the house's evidence,
at a constant number of queries whatever the number of houses."""

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import time_machine
from django.urls import resolve

from compliance.standard import standard
from tests.factories import HouseFactory

from .conftest import upload

OVERVIEW = "/dashboard/certification/"
# A Wednesday afternoon in the houses' time zone, whatever the real day.
NOW = datetime(2026, 4, 15, 14, 0, tzinfo=ZoneInfo("America/Chicago"))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _grid(client):
    return lxml.html.fromstring(client.get(OVERVIEW).content.decode()).cssselect("table.overview")[0]


def _cell_links(client) -> list[str]:
    return _grid(client).xpath(".//tbody//td//a/@href")


def test_the_overview_lays_houses_across_and_rules_down(page, operator, level_two, other_house):
    grid = _grid(page(operator))
    columns = [th.xpath("string(./a)") or th.text_content() for th in grid.xpath("./thead/tr/th[@scope='col']")]
    levels = [span.text for span in grid.xpath("./thead/tr/th[@scope='col']/span")]
    rows = [th.xpath("./strong")[0].text for th in grid.xpath("./tbody/tr/th[@scope='row']")]
    assert columns == ["Rule", "Maple House", "Willow House"]
    assert levels == ["Level 2", "No level"]
    assert rows == [rule.id for rule in standard().rules]


def test_each_overview_row_names_its_rule_and_gives_one_status_per_house(page, operator, level_two, other_house):
    upload(operator, level_two, "refund_policy", title="Refunds 2026")
    grid = _grid(page(operator))
    [row] = [tr for tr in grid.xpath("./tbody/tr") if tr.xpath("./th/strong[text()='1.A.3.c']")]
    assert " ".join(row.xpath("./th")[0].text_content().split()) == "1.A.3.c Refund policy"
    statuses = [td.cssselect(".badge")[0].text for td in row.xpath("./td")]
    assert statuses == ["Met", "Not applicable"]  # Willow House has no level


def test_the_rules_are_grouped_under_their_domain(page, operator, level_two):
    grid = _grid(page(operator))
    domains = [th.text_content() for th in grid.xpath("./tbody/tr[@class='domain']/th[@scope='colgroup']")]
    assert domains == ["Administrative operations", "Physical environment"]


def test_the_overview_scrolls_sideways_inside_its_own_region_with_the_rule_column_first(page, operator, level_two):
    grid = _grid(page(operator))
    region = grid.getparent()
    assert "table-wrap" in region.get("class")
    assert region.get("role") == "region"
    assert region.get("tabindex") == "0"  # keyboard users can scroll it too
    assert all("rule-head" in th.get("class") for th in grid.xpath(".//th[@scope='row']"))


def test_each_overview_cell_links_to_its_rule_on_the_house_certification_page(page, operator, level_two, other_house):
    client = page(operator)
    links = _cell_links(client)
    assert len(links) == 2 * len(standard().rules)
    for link in links:
        path, fragment = urlsplit(link).path, urlsplit(link).fragment
        assert resolve(path).view_name == "compliance:house-certification", link
        target = client.get(path)
        assert target.status_code == 200, link
        assert lxml.html.fromstring(target.content.decode()).get_element_by_id(fragment, None) is not None, link


def test_another_organizations_operator_gets_404_from_every_overview_link(page, operator, outsider, level_two):
    links = set(_cell_links(page(operator))) | set(_grid(page(operator)).xpath(".//thead//a/@href"))
    stranger = page(outsider)
    assert links
    for link in links:
        assert stranger.get(link).status_code == 404, link


def test_another_organizations_operator_does_not_see_the_houses(page, outsider, level_two):
    html = page(outsider).get(OVERVIEW).content.decode()
    assert "Maple House" not in html
    assert "No active houses." in html


def test_the_overview_page_costs_the_same_queries_for_two_houses_or_twelve(
    page, operator, level_two, django_assert_max_num_queries
):
    client = page(operator)
    HouseFactory(organization=operator.organization, beds=2, narr_level=3, name="Birch House")
    upload(operator, level_two, "refund_policy")
    with django_assert_max_num_queries(25) as small:
        assert client.get(OVERVIEW).status_code == 200
    for n in range(10):
        house = HouseFactory(organization=operator.organization, beds=2, narr_level=2, name=f"Extra {n}")
        upload(operator, house, "refund_policy")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(OVERVIEW)
    assert response.content.decode().count('class="house-head"') == 12
