"""Odd query strings on both feeds are a 400 naming the parameter, never a server error: digits that are not ASCII
(str.isdigit() takes "²"), and a NUL character, which PostgreSQL refuses in any text."""

import pytest

pytestmark = pytest.mark.django_db

FEEDS = ["/api/public/v1/vacancies/", "/api/public/v1/hsds/services/"]


@pytest.mark.parametrize("feed", FEEDS)
@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page=%C2%B2", "page"),  # superscript two
        ("per_page=%C2%B2", "per_page"),
        ("page=%D9%A3", "page"),  # Arabic-Indic three
        ("per_page=%EF%BC%95", "per_page"),  # fullwidth five
    ],
    ids=["page-superscript", "per-page-superscript", "page-arabic-indic", "per-page-fullwidth"],
)
def test_a_page_number_in_digits_other_than_ascii_is_a_400_naming_it(visitor, maple, feed, query, parameter):
    answer = visitor.get(f"{feed}?{query}")

    assert answer.status_code == 400
    assert answer.json()["errors"] == {parameter: [f"{parameter} must be a whole number from 1."]}


@pytest.mark.parametrize("feed", FEEDS)
def test_leading_zeros_still_read_as_the_page_number(visitor, maple, feed):
    assert visitor.get(f"{feed}?page=0001").status_code == 200


@pytest.mark.parametrize("feed", FEEDS)
@pytest.mark.parametrize("parameter", ["city", "organization", "gender", "moud"])
def test_a_nul_character_in_a_filter_is_a_400_naming_it(visitor, maple, feed, parameter):
    answer = visitor.get(f"{feed}?{parameter}=Pitts%00burgh")

    assert answer.status_code == 400
    assert answer.json()["errors"] == {parameter: [f"{parameter} cannot contain a NUL character."]}


@pytest.mark.postgres
@pytest.mark.parametrize("feed", FEEDS)
def test_a_nul_character_in_the_city_is_a_400_on_postgresql_too(visitor, maple, feed):
    assert visitor.get(f"{feed}?city=%00").status_code == 400
