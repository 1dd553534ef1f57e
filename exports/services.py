"""Data exports: an operator asks for all of the organization's data, a resident for all of their own record (their
right of access). Either is written in the background into a zip of CSV files, kept in storage with its SHA-256, and
downloaded only by who may: the organization's operators for its export, the resident for theirs. Asking and
downloading are audit-logged."""

import hashlib
import tempfile
from contextlib import contextmanager
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.files import File
from django.db import connection, connections, transaction
from django.db.models import F, Q
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Action, changed, downloaded
from accounts.exceptions import NotAllowed, NotFound
from accounts.models import AuditEntry, Membership, Organization
from accounts.queue import Queued, enqueue_on_commit
from accounts.tenancy import organization_clock
from residents.models import Resident

from . import organization as organization_export
from . import resident as resident_export
from .models import DataExport
from .writer import ZipOfCSV

PENDING = (DataExport.Status.QUEUED, DataExport.Status.RUNNING)
# An export runs for seconds to minutes and beats at every file; one silent far longer lost its worker (killed, the
# machine gone). After MAX_ATTEMPTS runs that stopped, it fails instead of going round again.
STUCK_AFTER = timedelta(minutes=30)
MAX_ATTEMPTS = 3


def _queue(export_id: int) -> Queued:
    # Through the outbox: with the broker down the task is kept and sent later (``accounts.queue``); the page says so.
    return enqueue_on_commit(generate_export, export_id)


def _stuck(cutoff) -> Q:
    """Running, and its run gave no sign of life (heartbeat, else its start) since ``cutoff``."""
    return Q(status=DataExport.Status.RUNNING) & (
        Q(heartbeat_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)  # claimed before runs beat
        | Q(heartbeat_at__isnull=True, started_at__isnull=True, created_at__lt=cutoff)  # before ``started_at``
    )


def _requeue(export_id: int, *, older_than: timedelta = STUCK_AFTER) -> bool:
    """Puts a stuck export back to queued and sends it again; one whose runs stopped MAX_ATTEMPTS times is marked
    failed instead. False when it was not queued again (not stuck, not any more, or failed). Call it in a
    transaction: each change is conditional on the run seen, so a run that beats in between keeps its export."""
    cutoff = timezone.now() - older_than
    seen = (
        DataExport.objects.filter(_stuck(cutoff), pk=export_id)
        .values("started_at", "heartbeat_at", "attempts").first()
    )  # fmt: skip
    if seen is None:
        return False
    run = DataExport.objects.filter(pk=export_id, status=DataExport.Status.RUNNING, **seen)
    if seen["attempts"] >= MAX_ATTEMPTS:
        run.update(
            status=DataExport.Status.FAILED, finished_at=timezone.now(),
            error=f"Writing the export stopped {seen['attempts']} times; ask again.",
        )  # fmt: skip
        return False
    requeued = run.update(status=DataExport.Status.QUEUED, started_at=None, heartbeat_at=None, progress_done=0)
    if requeued:
        enqueue_on_commit(generate_export, export_id, robust=True)
    return bool(requeued)


def _pending(exports) -> tuple[DataExport | None, bool]:
    """The export queued or being written, if any, and whether it was stuck and has just been queued again. One
    stuck whose runs stopped MAX_ATTEMPTS times is marked failed: there is none pending, a new one is asked for."""
    pending = exports.filter(status__in=PENDING).first()
    if pending is not None and _requeue(pending.pk):
        pending.refresh_from_db()
        return pending, True
    running = pending is not None and pending.status == DataExport.Status.RUNNING
    if running and not exports.filter(pk=pending.pk, status__in=PENDING).exists():  # failed: its runs used up
        return None, False
    return pending, False


def _audit_request(export: DataExport, *, actor: Membership, detail: str) -> None:
    # ``changed`` writes staff's requests under the request being served (address, path); a resident is not staff,
    # so their request (or a command's) is written here, still on record.
    if changed(actor=actor, action=Action.EXPORT, instance=export, detail=detail) is None:
        AuditEntry.objects.create(
            actor=actor.user, organization_id=export.organization_id, action=Action.EXPORT,
            object_type=DataExport._meta.label_lower, object_id=str(export.pk), detail=detail,
        )  # fmt: skip


@transaction.atomic
def export_request(*, actor: Membership, organization: Organization) -> tuple[DataExport, bool]:
    """Queues an export of all of ``organization``'s data; ``actor`` is one of its operators. While one is queued or
    being written it is returned instead; one stuck "running" (its worker died) is queued again. The second value
    says whether this request queued it (new, or again)."""
    if actor.organization_id != organization.pk or not actor.is_operator:
        raise NotAllowed(_("Only the organization's operators may export its data."))
    # Serialize requests for one organization so two clicks cannot queue two exports.
    Organization.objects.select_for_update().get(pk=organization.pk)
    pending, requeued = _pending(
        DataExport.objects.filter(organization=organization, scope=DataExport.Scope.ORGANIZATION)
    )
    if pending is not None:
        if requeued:
            _audit_request(pending, actor=actor, detail="Asked again for a stuck export of all the data")
        return pending, requeued
    export = DataExport.objects.create(
        organization=organization, requested_by=actor, scope=DataExport.Scope.ORGANIZATION,
        progress_total=organization_export.file_count(),
    )  # fmt: skip
    _audit_request(export, actor=actor, detail="Asked for an export of all the data")
    _queue(export.pk)
    return export, True


@transaction.atomic
def resident_export_request(*, actor: Membership) -> tuple[DataExport, bool]:
    """Queues an export of the acting resident's own record (their right of access); one already queued or being
    written is returned instead, and one stuck "running" is queued again (as for ``export_request``)."""
    if not actor.is_resident:
        raise NotAllowed(_("Only a resident may download their own record here."))
    resident = Resident.objects.filter(membership=actor, organization_id=actor.organization_id).first()
    if resident is None:
        raise NotFound(_("There is no resident record for this account."))
    Resident.objects.select_for_update().get(pk=resident.pk)
    pending, requeued = _pending(DataExport.objects.filter(resident=resident))
    if pending is not None:
        return pending, requeued
    export = DataExport.objects.create(
        organization_id=actor.organization_id, requested_by=actor, scope=DataExport.Scope.RESIDENT, resident=resident,
        progress_total=resident_export.file_count(),
    )  # fmt: skip
    _audit_request(export, actor=actor, detail="A resident asked for their own record")
    _queue(export.pk)
    return export, True


COMMAND = "manage.py export_organization"


def command_export(*, organization: Organization, actor: Membership | None = None) -> DataExport:
    """An export made by ``manage.py export_organization``: written at once, in this process, by the same code, and
    audit-logged as an export by ``actor`` (the operator who ran it, when named) or by no one, from the command."""
    if actor is not None and (actor.organization_id != organization.pk or not actor.is_operator):
        raise NotAllowed(_("Only the organization's operators may export its data."))
    export = DataExport.objects.create(
        organization=organization, requested_by=actor, scope=DataExport.Scope.ORGANIZATION,
        progress_total=organization_export.file_count(),
    )  # fmt: skip
    with organization_clock(organization):
        export = export_generate(export_id=export.pk)
    AuditEntry.objects.create(
        actor=actor.user if actor is not None else None, organization=organization, action=Action.EXPORT,
        object_type=DataExport._meta.label_lower, object_id=str(export.pk),
        detail=f"{COMMAND}: all the data ({export.status}, sha256 {export.sha256 or '-'})",
    )  # fmt: skip
    return export


@contextmanager
def _snapshot():
    """On PostgreSQL, the block reads the database as of one moment (one REPEATABLE READ, read-only transaction), so
    the zip's files agree with each other: a row written meanwhile is in every file that names it or in none.
    Inside a transaction already (a test's, a caller's) the block reads through that one instead: it cannot change
    its isolation once it has read. Elsewhere (SQLite, development) there is no snapshot."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield False
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield True


class _Superseded(Exception):
    """The run lost its claim: the reaper gave the export to a newer run."""


def _claimed_by(export_id: int, token, attempt: int):
    # The claim's time and count together: two claims within one clock tick still differ by their count.
    return DataExport.objects.filter(pk=export_id, status=DataExport.Status.RUNNING, started_at=token, attempts=attempt)


@contextmanager
def _progress_writer(export_id: int, token, attempt: int, *, separate: bool):
    """``progress(done)`` records files written and the run's heartbeat, while the run holds its claim; a run that
    lost it stops there (``_Superseded``). Inside the snapshot (read-only, and unseen until it ends) it writes
    through a second connection of its own, in autocommit, so the page and the reaper see it as it happens."""
    if not separate:

        def progress(done):
            if not _claimed_by(export_id, token, attempt).update(progress_done=done, heartbeat_at=timezone.now()):
                raise _Superseded

        yield progress
        return
    side = connections.create_connection("default")
    quote = side.ops.quote_name
    table, status, started, attempts = (
        quote(name) for name in (DataExport._meta.db_table, "status", "started_at", "attempts")
    )
    # Names from the model, quoted; the values are parameters.
    sql = (
        f"UPDATE {table} SET {quote('progress_done')} = %s, {quote('heartbeat_at')} = %s"  # noqa: S608
        f" WHERE {quote('id')} = %s AND {status} = %s AND {started} = %s AND {attempts} = %s"
    )

    def progress(done):
        with side.cursor() as cursor:
            cursor.execute(sql, [done, timezone.now(), export_id, DataExport.Status.RUNNING, token, attempt])
            if cursor.rowcount != 1:
                raise _Superseded

    try:
        yield progress
    finally:
        side.close()


def export_generate(*, export_id: int) -> DataExport:
    """Writes a queued export's zip and stores it, recording progress (and a heartbeat) file by file. Safe to run
    twice: an export already done or being written elsewhere is left alone. A failure is recorded on the export and
    re-raised.

    Claiming the export stamps ``started_at`` and counts an attempt, the run's token: every later write of the run
    is conditional on it, so a run the reaper gave up on (and queued again) cannot overwrite the newer run's file;
    its own file is deleted."""
    token = timezone.now()
    claimed = DataExport.objects.filter(pk=export_id, status=DataExport.Status.QUEUED).update(
        status=DataExport.Status.RUNNING, started_at=token, heartbeat_at=token, attempts=F("attempts") + 1,
        progress_done=0,
    )  # fmt: skip
    export = DataExport.objects.select_related("organization", "resident__organization").get(pk=export_id)
    if not claimed:
        return export
    ours = _claimed_by(export_id, token, export.attempts)

    try:
        with tempfile.TemporaryFile() as target:
            with (
                _snapshot() as snapshot,
                _progress_writer(export_id, token, export.attempts, separate=snapshot) as progress,
                ZipOfCSV(target, stamp=export.created_at) as zip_file,
            ):
                if export.scope == DataExport.Scope.RESIDENT:
                    resident_export.write_resident(
                        zip_file, export.resident, stamp=export.created_at, progress=progress
                    )
                else:
                    organization_export.write_organization(
                        zip_file, export.organization, stamp=export.created_at, progress=progress
                    )
            target.seek(0)
            digest = hashlib.sha256()
            for chunk in iter(lambda: target.read(1 << 20), b""):
                digest.update(chunk)
            size = target.tell()
            target.seek(0)
            export.file.save(export.filename, File(target), save=False)  # a name of its own: never overwrites
    except _Superseded:
        return DataExport.objects.select_related("organization", "resident__organization").get(pk=export_id)
    except Exception as error:
        ours.update(status=DataExport.Status.FAILED, error=str(error)[:2000])
        raise
    finished = timezone.now()
    stored = ours.update(
        file=export.file.name, sha256=digest.hexdigest(), size=size, status=DataExport.Status.DONE,
        finished_at=finished, heartbeat_at=finished, expires_at=finished + timedelta(days=settings.EXPORT_KEEP_DAYS),
        progress_done=F("progress_total"),
    )  # fmt: skip
    if not stored:
        export.file.storage.delete(export.file.name)  # superseded: the newer run's file is the export's
    export.refresh_from_db()
    return export


def exports_requeue_stuck(*, older_than: timedelta = STUCK_AFTER) -> list[int]:
    """Queues again every export "running" whose run gave no sign of life (heartbeat, else its start) for
    ``older_than``: its worker died (the broker's own redelivery finds it claimed and leaves it). It starts over from
    scratch (progress reset; a new file). One whose runs stopped MAX_ATTEMPTS times is marked failed instead (the
    asker asks again). Returns the ids queued again."""
    cutoff = timezone.now() - older_than
    requeued = []
    for export_id in list(DataExport.objects.filter(_stuck(cutoff)).values_list("pk", flat=True)):
        with transaction.atomic():
            if _requeue(export_id, older_than=older_than):
                requeued.append(export_id)
    return requeued


def exports_expire() -> list[int]:
    """Deletes from storage every stored export zip past its ``expires_at`` (a zip holds everything, archived
    records too, so it is not kept for good). The export stays listed, "expired", with its size and SHA-256.
    Returns the ids expired."""
    expired = []
    due = DataExport.objects.filter(status=DataExport.Status.DONE, expires_at__lte=timezone.now())
    for export in due.only("pk", "file"):
        if export.file:
            export.file.storage.delete(export.file.name)
        if DataExport.objects.filter(pk=export.pk, status=DataExport.Status.DONE).update(
            status=DataExport.Status.EXPIRED, file=""
        ):
            expired.append(export.pk)
    return expired


def export_download(*, actor: Membership, export: DataExport) -> FileResponse:
    """A finished export's zip, streamed from storage, for an operator of its organization (the organization's
    export) or the resident whose record it is. The download is audit-logged."""
    # Pages look the export up through the same scope; this keeps the rule for any other caller. Not theirs or not
    # ready: it does not exist for them (a 404, as for a report).
    if not DataExport.objects.visible_to(actor).filter(pk=export.pk).exists():
        raise Http404("No such export.")
    if export.status != DataExport.Status.DONE or not export.file:
        raise Http404("The export is not ready yet.")
    downloaded(actor=actor, model=DataExport, object_ids=[export.pk], detail=f"sha256 {export.sha256}")
    return FileResponse(
        export.file.open("rb"), as_attachment=True, filename=export.filename, content_type="application/zip"
    )


# The task sits beside the service it runs; ``exports.tasks`` imports it so the worker finds it.
@shared_task(name="exports.tasks.generate_export")
def generate_export(export_id: int) -> str:
    organization = Organization.objects.get(data_exports__pk=export_id)
    with organization_clock(organization):
        return export_generate(export_id=export_id).status
