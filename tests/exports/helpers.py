"""Reading an export's zip back the way an accountant's tools would: csv with UTF-8 (byte-order mark first)."""

import csv
import io
import zipfile


def read_zip(data: bytes) -> dict[str, list[list[str]]]:
    """Every CSV file of the zip as rows (header first); other files as text."""
    files = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            raw = archive.read(name)
            if name.endswith(".csv"):
                assert raw.startswith(b"\xef\xbb\xbf"), f"{name} has no byte-order mark"
                files[name] = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
            else:
                files[name] = raw.decode("utf-8")
    return files


def stored(export) -> bytes:
    with export.file.open("rb") as handle:
        return handle.read()


def as_dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]
