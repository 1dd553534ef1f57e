"""The monthly report is written in the language it is made in: Spanish headings, figures' names and chart titles
when made in Spanish, the same English as ever otherwise."""

from datetime import date

import pytest
from django.utils import translation

from reports.metrics import Month
from reports.pdf import monthly_html
from residents.core.services.stays import stay_admit

from ..clock import local_moment, module_clock

_clock = module_clock(local_moment(2026, 4, 10))


@pytest.fixture
def occupied(house, operator, resident_factory):
    stay_admit(actor=operator, resident=resident_factory(), bed=house.beds.first(), on=date(2026, 3, 1))
    return house


def test_a_report_made_in_spanish_has_spanish_headings_and_chart_titles(organization, occupied):
    with translation.override("es"):
        html = monthly_html(organization=organization, month=Month(2026, 3))
    assert "Cifras principales" in html
    assert "Ocupación, últimos 12 meses" in html
    assert "marzo de 2026" in html
    assert '<html lang="es">' in html


def test_a_report_made_in_english_keeps_its_english_headings(organization, occupied):
    with translation.override("en"):
        html = monthly_html(organization=organization, month=Month(2026, 3))
    assert "Headline figures" in html
    assert "Occupancy, last 12 months" in html
    assert "March 2026" in html
    assert '<html lang="en">' in html
