"""Reading an upload: a damaged workbook is refused as unreadable (never a server error), the column names may sit
under blank or title rows, a sheet with no rows under its header is refused, and reading stops once a sheet is
too long or its rows run out (Excel's formatted empty rows are not read to the end)."""

import io
import itertools
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from openpyxl.styles import Font

from accounts.exceptions import Invalid
from spreadsheets.models import ImportRun
from spreadsheets.sheets import BLANK_RUN_ENDS_SHEET, read_sheet, table_to_sheet

IMPORTS = "/dashboard/import/"


def _xlsx(rows, *, formatted_to: int = 0) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for number in range(len(rows) + 1, formatted_to + 1):
        sheet.cell(row=number, column=1).font = Font(bold=True)  # formatted, never filled
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _truncated_worksheet(data: bytes) -> bytes:
    """The same workbook, a valid zip, its worksheet's XML cut off half way."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            target.writestr(item, content)
    return out.getvalue()


def _upload(page, operator, name, data, kind="houses"):
    return page(operator).submit(IMPORTS, {"file": SimpleUploadedFile(name, data), "kind": kind}, form="#upload")


def test_a_workbook_whose_worksheet_xml_is_cut_off_is_refused_as_unreadable(page, operator):
    rows = [["Name", "Gender"]] + [[f"House {n}", "men"] for n in range(200)]
    answer = _upload(page, operator, "houses.xlsx", _truncated_worksheet(_xlsx(rows)))
    assert answer.status_code == 400
    assert "This file is not a readable XLSX spreadsheet." in answer.content.decode()
    assert not ImportRun.objects.exists()


def test_a_workbook_missing_its_worksheet_is_refused_as_unreadable():
    source, out = zipfile.ZipFile(io.BytesIO(_xlsx([["Name", "Gender"], ["Oak", "men"]]))), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item, source.read(item.filename))
    with pytest.raises(Invalid, match="not a readable XLSX"):
        read_sheet(name="houses.xlsx", data=out.getvalue())


def test_a_sheet_with_a_header_and_no_rows_under_it_is_refused(page, operator):
    answer = _upload(page, operator, "houses.csv", b"Name,Gender\n,\n\n")
    assert answer.status_code == 400
    assert "The sheet has no rows under its header." in answer.content.decode()
    assert not ImportRun.objects.exists()


def test_blank_rows_and_a_title_above_the_column_names_are_skipped():
    data = b'\n,,\n"Cedar Living houses, 2026"\n\nName,Gender\nOak House,men\n'
    sheet = read_sheet(name="houses.csv", data=data)
    assert sheet.headers == ["Name", "Gender"]
    assert sheet.rows == [(6, ["Oak House", "men"])]


def test_a_workbook_with_a_title_row_reads_its_rows_with_their_own_numbers():
    sheet = read_sheet(name="h.xlsx", data=_xlsx([["Houses"], [], ["Name", "Gender"], ["Oak House", "men"]]))
    assert (sheet.headers, sheet.rows) == (["Name", "Gender"], [(4, ["Oak House", "men"])])


def test_a_sheet_whose_first_ten_rows_are_empty_is_refused():
    with pytest.raises(Invalid, match="The first 10 rows are empty"):
        read_sheet(name="h.csv", data=b"\n" * 12 + b"Name,Gender\nOak,men\n")


def test_formatted_empty_rows_under_the_data_are_not_rows():
    sheet = read_sheet(name="h.xlsx", data=_xlsx([["Name", "Gender"], ["Oak House", "men"]], formatted_to=3000))
    assert sheet.rows == [(2, ["Oak House", "men"])]


def test_reading_stops_at_a_long_run_of_blank_rows_however_many_follow():
    endless_blanks = itertools.repeat((None, None))
    table = itertools.chain([("Name", "Gender"), ("Oak House", "men")], endless_blanks)
    assert table_to_sheet(table).rows == [(2, ["Oak House", "men"])]
    assert BLANK_RUN_ENDS_SHEET <= 1000


def test_reading_stops_as_soon_as_a_sheet_is_longer_than_its_limit():
    endless_rows = itertools.repeat(("Oak House", "men"))
    with pytest.raises(Invalid, match="more than 5 rows"):
        table_to_sheet(itertools.chain([("Name", "Gender")], endless_rows), max_rows=5)
