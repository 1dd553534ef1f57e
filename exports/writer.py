"""Writes CSV files into a zip: one query per file, rows streamed, and every row's owner checked as it is written.

Each query carries one more value than the file shows, the row's owner (its organization's id, or for a resident's
export the resident's id), read through the same joins the filter used; a row whose owner is not the export's stops
the export (``ExportLeak``) before anything is stored. This is a plain check, not an ``assert``, so it also runs
under ``python -O``.
"""

import csv
import io
import json
import zipfile
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import F, QuerySet

OWNER = "export_owner"
CHUNK = 2000
# A text cell starting with one of these is read as a formula by spreadsheet programs: it is written after a quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportLeak(RuntimeError):
    """A row of another organization (or resident) reached an export."""


def cell(value, *, text: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    value = str(value)
    if text and value.startswith(FORMULA_START):
        return "'" + value
    return value


class ZipOfCSV:
    """A zip being written: ``write`` adds one CSV file (UTF-8 with a byte-order mark, so Excel shows accents)."""

    def __init__(self, target, *, stamp: datetime):
        self.zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)
        self.stamp = stamp.timetuple()[:6]
        self.rows: dict[str, int] = {}

    def _open(self, name: str):
        info = zipfile.ZipInfo(name, date_time=self.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        return io.TextIOWrapper(self.zip.open(info, "w", force_zip64=True), encoding="utf-8-sig", newline="")

    def write(self, name: str, header, rows) -> int:
        count = 0
        with self._open(name) as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow(row)
                count += 1
        self.rows[name] = count
        return count

    def write_text(self, name: str, text: str) -> None:
        info = zipfile.ZipInfo(name, date_time=self.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        self.zip.writestr(info, text.encode("utf-8"))

    def close(self) -> None:
        self.zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def owned_rows(queryset: QuerySet, lookups, *, owner_lookup: str, owner_id: int, texts=()):
    """The rows of ``queryset`` as CSV cells (one value per lookup), each checked to belong to ``owner_id``."""
    texts = set(texts)
    values = queryset.annotate(**{OWNER: F(owner_lookup)}).order_by("pk").values_list(*lookups, OWNER)
    for row in values.iterator(chunk_size=CHUNK):
        if row[-1] != owner_id:
            raise ExportLeak(f"{queryset.model._meta.label} row owned by {row[-1]!r} reached the export of {owner_id}.")
        yield [cell(value, text=lookup in texts) for lookup, value in zip(lookups, row, strict=False)]
