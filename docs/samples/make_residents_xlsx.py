"""Writes residents.xlsx beside this script from residents.csv: the same residents, as an Excel user would have
them (real Excel dates, numbers for amounts, the worksheet named "Residents" after a cover sheet, so an import must
name it). Run from the repository: .venv/bin/python docs/samples/make_residents_xlsx.py"""

import csv
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
DATE_COLUMNS = {"Date of birth", "Move-in date"}


def _date(text: str):
    if not text:
        return None
    if "/" in text:
        month, day, year = (int(part) for part in text.split("/"))
        return date(year, month, day)
    return date.fromisoformat(text)


def _amount(text: str):
    text = text.replace("$", "").replace(",", "")
    return float(Decimal(text)) if text else None


def build(target: Path = HERE / "residents.xlsx") -> Path:
    with open(HERE / "residents.csv", newline="", encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Read me"
    cover["A1"] = "Residents on Dec 1, 2026: one row per current stay. Balances: positive owes, negative in credit."
    sheet = workbook.create_sheet("Residents")
    headers = list(rows[0])
    sheet.append(headers)
    for row in rows:
        cells = []
        for header in headers:
            value = row[header]
            if header in DATE_COLUMNS:
                cells.append(_date(value))
            elif header == "Opening balance":
                cells.append(_amount(value))
            else:
                cells.append(value or None)
        sheet.append(cells)
    for column in ("E", "I"):
        for cell in sheet[column][1:]:
            cell.number_format = "mm/dd/yyyy"
    for cell in sheet["J"][1:]:
        cell.number_format = '"$"#,##0.00'
    # A fixed creation time keeps the committed file the same from run to run.
    workbook.properties.created = workbook.properties.modified = datetime(2026, 12, 1)
    workbook.save(target)
    return target


if __name__ == "__main__":
    print(build())
