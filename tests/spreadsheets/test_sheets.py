"""Reading cells: dates as Excel dates, ISO or US text; amounts as decimal text with an optional $ and commas."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from spreadsheets.sheets import read_date, read_money


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime(2026, 3, 1, 0, 0), date(2026, 3, 1)),
        (date(2026, 3, 1), date(2026, 3, 1)),
        ("2026-03-01", date(2026, 3, 1)),
        ("03/01/2026", date(2026, 3, 1)),
        ("3/1/2026", date(2026, 3, 1)),
        ("", None),
        (None, None),
    ],
)
def test_a_date_is_read_from_an_excel_date_or_iso_or_us_text(cell, expected):
    assert read_date(cell) == expected


@pytest.mark.parametrize("cell", ["01.03.2026", "2026-02-30", "13/01/2026", "March 1"])
def test_a_date_in_any_other_form_is_refused(cell):
    with pytest.raises(ValueError, match="is not a date"):
        read_date(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("125", Decimal("125")),
        ("$1,250.00", Decimal("1250.00")),
        ("-$40.00", Decimal("-40.00")),
        ("$-40", Decimal("-40")),
        ("15.5", Decimal("15.5")),
        (350.1, Decimal("350.1")),
        (-15.5, Decimal("-15.5")),
        (0, Decimal("0")),
        ("", None),
    ],
)
def test_an_amount_is_read_as_a_decimal_never_a_float(cell, expected):
    assert read_money(cell) == expected


@pytest.mark.parametrize("cell", ["12.345", "1,25.00", "ten", "--5", "$", True])
def test_an_amount_in_any_other_form_is_refused(cell):
    with pytest.raises(ValueError, match=r"amount|decimal|commas"):
        read_money(cell)
