"""Reading a CSV or XLSX upload into a header row and data rows, and reading the values in its cells.

XLSX is read with openpyxl in read-only mode (streamed, so a large sheet is not held as a whole workbook); CSV with
the csv module, as UTF-8 (a byte-order mark, as Excel writes with "CSV UTF-8", is dropped). Anything else is refused
with a message saying what to do.
"""

import csv
import io
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from accounts.exceptions import Invalid

XLSX_MAGIC = b"PK\x03\x04"
MAX_ROWS = 20000  # manage.py import_sheet; the page takes fewer (``services.PAGE_MAX_ROWS``)
TITLE_ROWS = 10  # the column names are looked for in this many rows at the top
# Excel keeps rows that were once formatted as empty rows, sometimes up to its last row: a run of this many blank
# rows ends the sheet, so such a file is not read a million rows deep.
BLANK_RUN_ENDS_SHEET = 1000
NOT_XLSX = "This file is not a readable XLSX spreadsheet."


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number as the spreadsheet shows it, cells)


def _cell_text(value) -> str:
    return "" if value is None else str(value).strip()


def _filled(cells) -> int:
    return sum(1 for cell in cells if _cell_text(cell))


def is_xlsx(name: str, data: bytes) -> bool:
    return data.startswith(XLSX_MAGIC) or name.lower().endswith((".xlsx", ".xlsm"))


def _too_many(max_rows: int, hint: str) -> Invalid:
    return Invalid(
        _("The sheet has more than %(max_rows)s rows; import at most %(max_rows)s at a time.%(hint)s")
        % {"max_rows": format(max_rows, ","), "hint": hint},
        field="file",
    )


def table_to_sheet(table: Iterable, *, max_rows: int = MAX_ROWS, too_many_hint: str = "") -> Sheet:
    """The header row and the non-blank rows under it, read from ``table`` (rows of cells, lazily) and no further
    than needed. The header is the first row with two or more filled cells among the first ``TITLE_ROWS`` (blank rows
    and a title above it are skipped; a sheet with no such row takes its first filled row). Reading stops past
    ``max_rows`` data rows (refused) or at a run of ``BLANK_RUN_ENDS_SHEET`` blank rows (the end of the sheet)."""
    rows = iter(table)
    header_number, header, first_filled, skipped = 0, None, None, []
    for number, cells in enumerate(rows, start=1):
        filled = _filled(cells)
        if filled >= 2:
            header_number, header = number, list(cells)
            break
        skipped.append((number, cells))
        if filled and first_filled is None:
            first_filled = (number, list(cells))
        if number >= TITLE_ROWS:
            break
    if header is None and first_filled is not None:
        # A sheet of one column: its only filled row at the top holds the names; the rows under it are data.
        header_number, header = first_filled
        rows = itertools.chain((cells for number, cells in skipped if number > header_number), rows)
    if header is None:
        raise Invalid(
            _("The first %(rows)s rows are empty: the column names must be in one of them.") % {"rows": TITLE_ROWS},
            field="file",
        )
    headers = [_cell_text(cell) for cell in header]
    while headers and not headers[-1]:
        headers.pop()
    named = [text for text in headers if text]
    doubled = sorted({text for text in named if named.count(text) > 1})
    if doubled:
        raise Invalid(_("Two columns have the same name: %(doubled)s.") % {"doubled": ", ".join(doubled)}, field="file")
    found, blank_run = [], 0
    for number, cells in enumerate(rows, start=header_number + 1):
        if not _filled(cells):
            blank_run += 1
            if blank_run >= BLANK_RUN_ENDS_SHEET:
                break
            continue
        blank_run = 0
        if len(found) >= max_rows:
            raise _too_many(max_rows, too_many_hint)
        found.append((number, list(cells)))
    if not found:
        raise Invalid(_("The sheet has no rows under its header."), field="file")
    return Sheet(headers=headers, rows=found)


def _read_csv(data: bytes, **limits) -> Sheet:
    if b"\x00" in data[:4096]:
        raise Invalid(_("This file is not a CSV or an XLSX spreadsheet."), field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(
            _("The CSV is not UTF-8 text. Save it again as “CSV UTF-8” (in Excel: File, Save As) and upload that."),
            field="file",
        ) from None
    try:
        return table_to_sheet(csv.reader(io.StringIO(text, newline="")), **limits)
    except csv.Error as error:
        raise Invalid(_("The CSV cannot be read: %(error)s.") % {"error": error}, field="file") from None


def _read_xlsx(data: bytes, sheet_name: str, **limits) -> Sheet:
    from openpyxl import load_workbook

    # An uploaded file is untrusted: whatever openpyxl, zipfile or the XML parser raise on a damaged workbook
    # (BadZipFile, KeyError, ParseError, ...), while opening it or while its rows stream in, it is the file's fault.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise Invalid(NOT_XLSX, field="file") from None
    try:
        if sheet_name:
            if sheet_name not in workbook.sheetnames:
                names = ", ".join(workbook.sheetnames)
                raise Invalid(
                    _("The workbook has no worksheet named %(sheet_name)s (it has: %(names)s).")
                    % {"sheet_name": repr(sheet_name), "names": names},
                    field="sheet",
                )
            worksheet = workbook[sheet_name]
        else:
            worksheet = workbook.worksheets[0]
        return table_to_sheet(worksheet.iter_rows(values_only=True), **limits)
    except Invalid:
        raise
    except Exception:
        raise Invalid(NOT_XLSX, field="file") from None
    finally:
        workbook.close()


def read_sheet(
    *, name: str, data: bytes, sheet_name: str = "", max_rows: int = MAX_ROWS, too_many_hint: str = ""
) -> Sheet:
    """The header row and every non-blank row under it, numbered as the spreadsheet numbers them
    (``table_to_sheet``). More than ``max_rows`` data rows are refused, ``too_many_hint`` closing the message."""
    if not data:
        raise Invalid(_("The file is empty."), field="file")
    limits = {"max_rows": max_rows, "too_many_hint": too_many_hint}
    if is_xlsx(name, data):
        return _read_xlsx(data, sheet_name, **limits)
    if sheet_name:
        raise Invalid(_("A CSV file has one sheet; leave the worksheet name blank."), field="sheet")
    return _read_csv(data, **limits)


def normalize(text: str) -> str:
    """A header as compared with a field's names: case, spaces, dashes and underscores ignored."""
    return re.sub(r"[\s_\-./()]+", "", str(text)).lower()


# Values in cells. Each reader returns the value or raises ValueError with a message for the operator.

US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def read_date(value) -> date | None:
    """A real Excel date, or text as ISO (2026-03-01) or US (03/01/2026)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for pattern, order in ((ISO_DATE, (0, 1, 2)), (US_DATE, (2, 0, 1))):
        match = pattern.match(text.split("T")[0].split(" ")[0])
        if match:
            parts = [int(part) for part in match.groups()]
            try:
                return date(parts[order[0]], parts[order[1]], parts[order[2]])
            except ValueError:
                break
    raise ValueError(f"“{text}” is not a date; write it as 2026-03-01 or 03/01/2026.")


MONEY = re.compile(r"^(-)?\$?(-)?([0-9][0-9,]*)(\.[0-9]+)?$")


def read_money(value) -> Decimal | None:
    """An amount with at most two decimal places: a number, or text with an optional $ and thousands commas
    (-$1,250.00, $-40, 125). Never a float: a float cell is read through its shortest text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("Write an amount such as 125.00.")
    if isinstance(value, int | float | Decimal):
        text = repr(value) if isinstance(value, float) else str(value)
    else:
        text = str(value).strip().replace(" ", "")
    if not text:
        return None
    match = MONEY.match(text)
    if not match or (match.group(1) and match.group(2)):
        raise ValueError(f"“{value}” is not an amount; write it as 125.00 (a $ and commas are fine).")
    whole = match.group(3)
    if "," in whole and not re.fullmatch(r"\d{1,3}(,\d{3})+", whole):
        raise ValueError(f"“{value}” has its commas in the wrong places.")
    try:
        amount = Decimal(whole.replace(",", "") + (match.group(4) or ""))
    except InvalidOperation:
        raise ValueError(f"“{value}” is not an amount.") from None
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"“{value}” has more than two decimal places.")
    return -amount if (match.group(1) or match.group(2)) else amount


def read_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a bed numbered 3 in Excel arrives as 3.0
    if isinstance(value, datetime | date):
        return value.isoformat()
    return _cell_text(value)
