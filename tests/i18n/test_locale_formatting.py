"""Dates and money read in the active language: month names in Spanish through Django's date filter, money
through accounts.money (Babel, es_US / en_US: "$1,725.00" in both)."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from accounts.money import money_locale, money_words

TEMPLATE = Template('{% load money %}{{ day|date:"F j, Y" }} · {{ day|date:"l" }} · {{ amount|money }}')


def _render(language: str) -> str:
    with translation.override(language):
        return TEMPLATE.render(Context({"day": date(2026, 3, 1), "amount": Decimal("1725")}))


def test_a_date_and_an_amount_read_in_english():
    assert _render("en") == "March 1, 2026 · Sunday · $1,725.00"


def test_a_date_and_an_amount_read_in_spanish():
    assert _render("es") == "marzo 1, 2026 · domingo · $1,725.00"


@pytest.mark.parametrize("language", ["en", "es"])
def test_money_keeps_its_us_shape_in_both_languages(language):
    with translation.override(language):
        assert money_words(Decimal("-50")) == "-$50.00"
        assert money_words(Decimal("1234567.5")) == "$1,234,567.50"
        assert money_words(Decimal("12"), "CHF") == "12.00 CHF"


def test_money_reads_spanish_as_written_in_the_united_states():
    assert money_locale("es") == "es_US"
    assert money_locale("en") == "en_US"
    assert money_locale("en-xa") == "en_US"  # a language without a locale of its own reads like English


def test_the_short_month_of_the_resident_pages_is_spanish_in_spanish():
    template = Template('{{ day|date:"D M j, Y" }}')
    with translation.override("es"):
        assert template.render(Context({"day": date(2026, 1, 15)})) == "jue Ene 15, 2026"
