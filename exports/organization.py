"""An organization's export: every table (see ``exports.tables``), ``ledger.csv`` for the accountant, ``columns.csv``
and ``README.txt`` describing them."""

from collections.abc import Callable
from decimal import Decimal

from django.db import models

from accounts.models import Organization
from billing.models import EntryKind, LedgerEntry

from .tables import LEFT_OUT, SECRET_FIELDS, Table, describe, organization_tables
from .writer import ExportLeak, ZipOfCSV, cell, owned_rows

LEDGER_HEADER = [
    "date", "resident", "resident_id", "house", "kind", "description", "debit", "credit", "balance", "currency",
    "entry_id",
]  # fmt: skip
LEDGER_COLUMNS = {
    "date": "The day the charge fell due or the money moved (effective date)",
    "resident": "The resident's legal name (last, first)",
    "resident_id": "id in residents.csv",
    "house": "The house the entry belongs to",
    "kind": "Rent, Deposit, Program fee, Late fee, Fine, Other charge, Payment, Credit / adjustment, Refund, Reversal",
    "description": "The entry's memo, or what it reverses",
    "debit": "Adds to what the resident owes (charges, refunds paid out), else empty",
    "credit": "Takes from what the resident owes (payments, credits), else empty",
    "balance": "The resident's running balance after this entry: above zero they owe, below zero they are in credit",
    "currency": "The organization's currency (ISO 4217)",
    "entry_id": "id in ledger_entries.csv",
}
LEDGER_TYPES = {
    "date": "date (YYYY-MM-DD)", "debit": "decimal (2 places)", "credit": "decimal (2 places)",
    "balance": "decimal (2 places)", "resident_id": "integer", "entry_id": "integer",
}  # fmt: skip
TEXT_FIELDS = (models.CharField, models.TextField)
KIND_LABELS = dict(EntryKind.choices)


def file_count() -> int:
    """Files an organization export writes (its progress total): the tables, the ledger and the column list."""
    return len(organization_tables()) + 2


def _text_lookups(table: Table) -> list[str]:
    return [c.lookup for c in table.columns if isinstance(c.field, TEXT_FIELDS) and not c.field.choices]


def _table_rows(table: Table, organization: Organization):
    queryset = table.model._base_manager.filter(**{table.owner: organization.pk})
    return owned_rows(
        queryset, [c.lookup for c in table.columns], owner_lookup=table.owner, owner_id=organization.pk,
        texts=_text_lookups(table),
    )  # fmt: skip


def ledger_rows(entries, *, currency: str):
    """Rows of ledger.csv from ``entries`` (values of LedgerEntry, ordered by resident then date), with each resident's
    running balance."""
    resident, balance = None, Decimal("0.00")
    for entry in entries:
        if entry["resident_id"] != resident:
            resident, balance = entry["resident_id"], Decimal("0.00")
        amount = entry["amount"]
        balance += amount
        description = entry["memo"] or ""
        if entry["reverses_id"]:
            reversed_kind = KIND_LABELS.get(entry["reverses__kind"], entry["reverses__kind"])
            what = f"(reverses the {reversed_kind.lower()} of {entry['reverses__effective_on']:%Y-%m-%d})"
            description = f"{description} {what}" if description else what
        yield [
            cell(entry["effective_on"]),
            cell(f"{entry['resident__legal_last_name']}, {entry['resident__legal_first_name']}", text=True),
            cell(entry["resident_id"]),
            cell(entry["house__name"], text=True),
            KIND_LABELS.get(entry["kind"], entry["kind"]),
            cell(description, text=True),
            f"{amount:.2f}" if amount > 0 else "",
            f"{-amount:.2f}" if amount < 0 else "",
            f"{balance:.2f}",
            currency,
            cell(entry["id"]),
        ]


LEDGER_VALUES = (
    "id", "resident_id", "resident__legal_last_name", "resident__legal_first_name", "house__name", "kind", "amount",
    "effective_on", "memo", "reverses_id", "reverses__kind", "reverses__effective_on", "organization_id",
)  # fmt: skip


def checked_ledger(entries, owner_key: str, owner_id: int):
    """The entries, each checked to belong to ``owner_id`` (see ``exports.writer``)."""
    for entry in entries:
        if entry[owner_key] != owner_id:
            raise ExportLeak(f"Ledger entry {entry['id']} of {entry[owner_key]!r} reached the export of {owner_id}.")
        yield entry


def organization_ledger(organization: Organization):
    entries = (
        LedgerEntry.objects.filter(organization=organization)
        .order_by("resident__legal_last_name", "resident__legal_first_name", "resident_id", "effective_on", "id")
        .values(*LEDGER_VALUES)
        .iterator(chunk_size=2000)
    )
    return ledger_rows(checked_ledger(entries, "organization_id", organization.pk), currency=organization.currency)


def columns_rows(tables: list[Table]):
    for table in tables:
        for column in table.columns:
            kind, meaning = describe(column.field)
            yield [table.filename, column.name, kind, meaning]
    for name, meaning in LEDGER_COLUMNS.items():
        yield ["ledger.csv", name, LEDGER_TYPES.get(name, "text"), meaning]


def _files_tables(tables: list[Table]) -> list[str]:
    return [t.filename for t in tables if any(isinstance(c.field, models.FileField) for c in t.columns)]


def readme(organization: Organization, tables: list[Table], rows: dict[str, int], *, stamp) -> str:
    lines = [
        f"Hearth export of {organization.name} ({organization.slug})",
        f"Written {stamp:%Y-%m-%d %H:%M} UTC.",
        "",
        "Every table of the organization's data is one CSV file (UTF-8 with a byte-order mark, comma-separated, first",
        "row the column names). columns.csv lists every column of every file: its type and what it means. Ids link",
        "the files: a column named house_id holds an id from houses.csv. Dates are YYYY-MM-DD; times are UTC in ISO",
        "8601; money has two decimal places in the organization's currency "
        f"({organization.currency}); true/false for yes/no.",
        "A text cell that would start with = + - or @ is written after a ' so spreadsheet programs do not run it.",
        "",
        "ledger.csv is the ledger for an accountant: one line per entry, residents one after another, with debit,",
        "credit and each resident's running balance. ledger_entries.csv has the same entries with every field.",
        "",
        "Stored files (report PDFs, certification documents, imported sheets) are not in the zip: "
        + ", ".join(_files_tables(tables))
        + " name each stored file (and, where kept, its SHA-256), so a copy can be matched to its record.",
        "",
        "Left out on purpose:",
    ]
    for label, why in LEFT_OUT.items():
        lines.append(f"- {label}: {why}")
    for key, why in SECRET_FIELDS.items():
        lines.append(f"- {key}: {why}")
    lines += [
        "- two-factor devices and their keys, sessions, sign-in attempts: secrets and security plumbing",
        "- the exports themselves (this list of downloads): each request and download is in audit_entries.csv",
        "",
    ]
    lines.append("Files and rows:")
    for table in tables:
        lines.append(f"- {table.filename} ({rows.get(table.filename, 0)} rows): {table.description}")
    lines.append(f"- ledger.csv ({rows.get('ledger.csv', 0)} rows): the ledger for an accountant (see above)")
    lines.append("- columns.csv: every file's columns")
    return "\n".join(lines) + "\n"


def write_organization(zip_file: ZipOfCSV, organization: Organization, *, stamp, progress: Callable[[int], None]):
    """Writes the organization's files into ``zip_file``; ``progress(done)`` after each file."""
    tables = list(organization_tables())
    done = 0
    for table in tables:
        zip_file.write(table.filename, [c.name for c in table.columns], _table_rows(table, organization))
        done += 1
        progress(done)
    zip_file.write("ledger.csv", LEDGER_HEADER, organization_ledger(organization))
    done += 1
    progress(done)
    zip_file.write("columns.csv", ["file", "column", "type", "meaning"], columns_rows(tables))
    done += 1
    progress(done)
    zip_file.write_text("README.txt", readme(organization, tables, zip_file.rows, stamp=stamp))
