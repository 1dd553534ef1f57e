"""Importing a spreadsheet: upload, map its columns, check every row, import.

A check and an import are one pass over the rows (``_pass``): each row is written through the services, inside its
own savepoint, so a refused row leaves nothing behind and every later row still sees the earlier good ones. A check
rolls the whole pass back; an import keeps it, unless a row was bad and the operator did not ask for only the good
rows, in which case it also rolls back and writes nothing. Importing the same file twice creates nothing new: each
importer finds what is already there by its natural key (``spreadsheets.importers``). Both hold the run's row locked
and save its status in their own transaction, so a second submit of one import waits and is then refused.

The page takes at most ``PAGE_MAX_ROWS`` rows (it imports inside the web request); ``manage.py import_sheet`` passes
``max_rows=COMMAND_MAX_ROWS``. Once imported, the stored upload may be deleted (``import_file_delete``).
"""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.exceptions import Conflict, DomainError, Invalid, NotAllowed
from accounts.models import AuditEntry, Membership

from .importers import IMPORTERS, RowInvalid
from .kinds import check_mapping, columns_of, guess_mapping
from .models import ImportRun, SheetKind
from .sheets import MAX_ROWS, Sheet, read_sheet

MAX_BYTES = 10 * 1024 * 1024
# The page imports inside the web request, so it takes fewer rows than manage.py import_sheet (``sheets.MAX_ROWS``).
PAGE_MAX_ROWS = 2000
COMMAND_MAX_ROWS = MAX_ROWS


def _limits(max_rows: int) -> dict:
    hint = ""
    if max_rows < COMMAND_MAX_ROWS:
        hint = " " + _(
            "A larger sheet (up to %(rows)s rows) is imported from a shell with "
            "“manage.py import_sheet” (see docs/samples/README.md), or split it."
        ) % {"rows": format(COMMAND_MAX_ROWS, ",")}
    return {"max_rows": max_rows, "too_many_hint": hint}


def _require_operator(actor: Membership) -> None:
    if not actor.is_operator:
        raise NotAllowed(_("Only an operator may import spreadsheets."))


def _require_own(actor: Membership, run: ImportRun) -> None:
    _require_operator(actor)
    if run.organization_id != actor.organization_id:
        raise NotAllowed(_("This import belongs to another organization."))


def _safe_name(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip("-.")
    return stem[-80:] or "sheet"


@transaction.atomic
def import_upload(
    *, actor: Membership, name: str, data: bytes, kind: str, sheet_name: str = "", max_rows: int = PAGE_MAX_ROWS
) -> ImportRun:
    """Keeps an uploaded sheet (in the media storage) with its header row and a first guess at the column mapping.
    Refuses a file that is not a readable UTF-8 CSV or XLSX, has no header row or no row under it, or more than
    ``max_rows`` rows (the page's limit unless the command says otherwise), before anything is kept."""
    _require_operator(actor)
    if kind not in SheetKind.values:
        raise Invalid(
            _("Choose what the sheet holds: %(kinds)s.") % {"kinds": ", ".join(SheetKind.values)}, field="kind"
        )
    if len(data) > MAX_BYTES:
        raise Invalid(_("The file is larger than %(value)s MB.") % {"value": MAX_BYTES // (1024 * 1024)}, field="file")
    sheet = read_sheet(name=name, data=data, sheet_name=sheet_name.strip(), **_limits(max_rows))
    digest = hashlib.sha256(data).hexdigest()
    run = ImportRun(
        organization=actor.organization,
        uploaded_by=actor,
        kind=kind,
        original_name=name[-255:],
        sha256=digest,
        sheet_name=sheet_name.strip(),
        headers=sheet.headers,
        mapping=guess_mapping(kind, sheet.headers),
    )
    run.file.save(f"{digest[:16]}-{_safe_name(name)}", ContentFile(data), save=False)
    run.save()
    return run


def _sheet_of(run: ImportRun, max_rows: int) -> Sheet:
    if not run.file:
        raise Conflict(_("The uploaded file of this import has been deleted; upload the sheet again."))
    with run.file.open("rb") as stored:
        data = stored.read()
    return read_sheet(name=run.original_name, data=data, sheet_name=run.sheet_name, **_limits(max_rows))


def _locked(run: ImportRun, *, refusal: str) -> ImportRun:
    """The run's row, locked until the transaction ends, refused if imported already: two submits of one import
    (a double click, two tabs) are served one after the other, and the second finds the first's status."""
    locked = ImportRun.objects.select_for_update().get(pk=run.pk)
    if locked.status == ImportRun.Status.DONE:
        raise Conflict(refusal)
    return locked


def import_map(*, actor: Membership, run: ImportRun, mapping: dict[str, str]) -> ImportRun:
    """Remembers which column of the sheet fills each field ('' for none). Every required field needs a column,
    and a column fills one field."""
    _require_own(actor, run)
    mapping = {column.name: (mapping.get(column.name) or "") for column in columns_of(run.kind)}
    errors = check_mapping(run.kind, run.headers, mapping)
    if errors:
        name, message = next(iter(errors.items()))
        raise Invalid(message, field=name)
    run.mapping = mapping
    run.save(update_fields=["mapping"])
    return run


@dataclass
class PassResult:
    rows: int = 0
    errors: list[dict] = field(default_factory=list)
    created_rows: int = 0
    present_rows: int = 0
    created: dict[str, list[int]] = field(default_factory=dict)
    present: Counter = field(default_factory=Counter)

    @property
    def bad_rows(self) -> int:
        return len({error["row"] for error in self.errors})

    def counts(self) -> dict:
        return {
            "rows": self.rows,
            "bad": self.bad_rows,
            "create": self.created_rows,
            "present": self.present_rows,
            "records": {
                what: {"create": len(self.created.get(what, [])), "present": self.present.get(what, 0)}
                for what in sorted(set(self.created) | set(self.present))
            },
        }


def _column_label(run: ImportRun, name: str | None) -> str:
    columns = {column.name: column for column in columns_of(run.kind)}
    if name not in columns:
        return ""
    return run.mapping.get(name) or columns[name].label


def _pass(run: ImportRun, *, actor: Membership, sheet: Sheet) -> PassResult:
    """Writes every row through the services, each in a savepoint; the caller decides whether the pass stays."""
    importer = IMPORTERS[run.kind](actor)
    positions = {name: run.headers.index(header) for name, header in run.mapping.items() if header}
    result = PassResult(rows=len(sheet.rows))
    for number, cells in sheet.rows:
        raw = {name: (cells[index] if index < len(cells) else None) for name, index in positions.items()}
        try:
            with transaction.atomic():
                outcome = importer.row(raw, number=number)
        except RowInvalid as error:
            for name, message in error.errors:
                result.errors.append({"row": number, "field": _column_label(run, name), "message": message})
            continue
        except NotAllowed:
            raise
        except DomainError as error:
            name = importer.fields.get(error.field, error.field)
            result.errors.append({"row": number, "field": _column_label(run, name), "message": error.message})
            continue
        if outcome.created:
            result.created_rows += 1
        else:
            result.present_rows += 1
        for what, ids in outcome.created.items():
            result.created.setdefault(what, []).extend(ids)
        result.present.update(outcome.present)
    return result


def _ready(run: ImportRun) -> None:
    errors = check_mapping(run.kind, run.headers, run.mapping)
    if errors:
        name, message = next(iter(errors.items()))
        raise Invalid(message, field=name)


CHECKED_ALREADY = "This sheet has been imported already; upload it again to check it again."
IMPORTED_ALREADY = "This sheet has been imported already (by an earlier submit); nothing more was imported."


def import_check(*, actor: Membership, run: ImportRun, max_rows: int = PAGE_MAX_ROWS) -> ImportRun:
    """Tries every row as the import would (the same services, in a savepoint rolled back at the end) and keeps
    each bad row's number, column and reason, and the number of rows that would be created or are already present."""
    _require_own(actor, run)
    if run.status == ImportRun.Status.DONE:
        raise Conflict(CHECKED_ALREADY)
    _ready(run)
    sheet = _sheet_of(run, max_rows)
    with transaction.atomic():
        locked = _locked(run, refusal=CHECKED_ALREADY)
        with transaction.atomic():
            result = _pass(locked, actor=actor, sheet=sheet)
            transaction.set_rollback(True)
        locked.row_errors, locked.counts = result.errors, result.counts()
        locked.status, locked.checked_at = ImportRun.Status.CHECKED, timezone.now()
        locked.save(update_fields=["row_errors", "counts", "status", "checked_at"])
    return locked


def _audit_detail(run: ImportRun, result: PassResult) -> str:
    # Ids only: the audit log names no person.
    created = "; ".join(f"{what}: {', '.join(map(str, ids))}" for what, ids in sorted(result.created.items()))
    return f"{run.kind} sheet, {result.rows} rows, {result.created_rows} created, {result.present_rows} present" + (
        f"; {created}" if created else ""
    )


def _audit(run: ImportRun, *, actor: Membership, result: PassResult) -> AuditEntry:
    detail = _audit_detail(run, result)
    entry = audit.changed(actor=actor, action=AuditEntry.Action.IMPORT, instance=run, detail=detail)
    if entry is not None:
        return entry
    # A command has no request to name an address or path; the import is still on record.
    return AuditEntry.objects.create(
        actor=actor.user,
        organization_id=run.organization_id,
        action=AuditEntry.Action.IMPORT,
        object_type=ImportRun._meta.label_lower,
        object_id=str(run.pk),
        detail=detail,
    )


def import_apply(
    *, actor: Membership, run: ImportRun, only_good_rows: bool = False, max_rows: int = PAGE_MAX_ROWS
) -> ImportRun:
    """Imports the sheet in one transaction, holding the run's row locked: the status is read again under the lock
    and saved in the same transaction, so a second submit of the same import waits, then is refused and writes
    nothing. With a bad row it writes nothing (the run keeps the bad rows, status checked) unless
    ``only_good_rows``, which writes the others. Audit-logs what it wrote, by id."""
    _require_own(actor, run)
    if run.status == ImportRun.Status.DONE:
        raise Conflict(IMPORTED_ALREADY)
    _ready(run)
    sheet = _sheet_of(run, max_rows)
    with transaction.atomic():
        run = _locked(run, refusal=IMPORTED_ALREADY)
        with transaction.atomic():
            result = _pass(run, actor=actor, sheet=sheet)
            written = not result.errors or only_good_rows
            if not written:
                transaction.set_rollback(True)
        run.row_errors, run.counts = result.errors, result.counts()
        if written:
            run.status, run.finished_at = ImportRun.Status.DONE, timezone.now()
            run.created_ids, run.only_good_rows = result.created, only_good_rows
            _audit(run, actor=actor, result=result)
        else:
            run.status, run.checked_at = ImportRun.Status.CHECKED, timezone.now()
        run.save()
    return run


@transaction.atomic
def import_file_delete(*, actor: Membership, run: ImportRun) -> ImportRun:
    """Deletes the stored upload of a finished import (it may hold personal data the organization no longer needs
    once imported); the run keeps its counts, bad rows and what it created. Audit-logged."""
    _require_own(actor, run)
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ImportRun.Status.DONE:
        raise Conflict(_("The uploaded file is kept until the sheet is imported; it is needed to check and import it."))
    if not run.file:
        raise Conflict(_("The uploaded file of this import has been deleted already."))
    storage, stored = run.file.storage, run.file.name
    run.file, run.file_deleted_at = "", timezone.now()
    run.save(update_fields=["file", "file_deleted_at"])
    audit.changed(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        instance=run,
        detail=f"deleted the uploaded file (SHA-256 {run.sha256})",
    )
    # Through the storage (a local file or an object in the bucket), once the run says it is gone: a rollback
    # leaves the file where it was.
    transaction.on_commit(lambda: storage.delete(stored))
    return run
