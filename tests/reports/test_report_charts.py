"""Every chart in the monthly report is titled on the page and labels both axes with their units."""

import re
from datetime import date

import pytest

from reports import charts
from reports.metrics import Month
from reports.pdf import monthly_html
from residents.core.services.stays import stay_admit

from ..clock import local_moment, module_clock

_clock = module_clock(local_moment(2026, 4, 10))


def _svgs(html: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", html, flags=re.S)


def _shown_title(svg: str) -> str:
    return re.search(r'<text class="chart-title"[^>]*>([^<]+)</text>', svg).group(1)


@pytest.fixture
def occupied(house, operator, resident_factory):
    stay_admit(actor=operator, resident=resident_factory(), bed=house.beds.first(), on=date(2026, 3, 1))
    return house


@pytest.mark.parametrize("audience", ["internal", "funder"])
def test_every_chart_of_the_report_shows_a_title_and_both_axis_labels(organization, occupied, audience):
    svgs = _svgs(monthly_html(organization=organization, month=Month(2026, 3), audience=audience))
    assert len(svgs) >= 5
    for svg in svgs:
        assert _shown_title(svg).strip()
        assert re.search(r'class="axis-label x-axis"[^>]*>[^<]+</text>', svg)
        assert re.search(r'class="axis-label y-axis"[^>]*>[^<]+</text>', svg)


def test_the_occupancy_trend_says_its_unit_on_the_y_axis(organization, occupied):
    html = monthly_html(organization=organization, month=Month(2026, 3))
    trend = next(svg for svg in _svgs(html) if _shown_title(svg) == "Occupancy, last 12 months")
    assert ">Occupancy (%)</text>" in trend
    assert ">Month</text>" in trend


def test_a_chart_of_money_says_its_currency_on_the_y_axis(organization, occupied):
    html = monthly_html(organization=organization, month=Month(2026, 3))
    owed = next(svg for svg in _svgs(html) if _shown_title(svg) == "Owed at month end by age")
    assert ">Amount (USD)</text>" in owed
    assert ">Days past due</text>" in owed


def test_the_nightly_chart_labels_days_and_people(organization, occupied):
    html = monthly_html(organization=organization, month=Month(2026, 3))
    census = next(svg for svg in _svgs(html) if _shown_title(svg) == "Residents each night")
    assert ">Day of the month</text>" in census
    assert ">People or beds</text>" in census


def test_the_funder_nightly_chart_shows_a_share_of_beds_not_a_count_of_people(organization, occupied):
    html = monthly_html(organization=organization, month=Month(2026, 3), audience="funder")
    census = next(svg for svg in _svgs(html) if _shown_title(svg) == "Beds occupied each night")
    assert ">Beds occupied (%)</text>" in census


def test_a_hidden_count_is_written_as_under_five_with_no_bar():
    svg = charts.bars([("Negative", 12), ("Positive", None)], title="Results", x_label="Result", y_label="Tests")
    assert ">&lt;5</text>" in svg
    assert 'height="0.0"' in svg
    assert "Positive: &lt;5" in svg
