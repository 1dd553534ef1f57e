"""Bulk writing for the scale builder: rows as tuples, ids chosen here, written by COPY on PostgreSQL and by
``executemany`` on SQLite, and a fast delete of a whole organization's rows.

Ids are taken from each table's current maximum, so nothing else may write to these tables while the builder runs
(it is a seeding command; sequences are moved past the new rows at the end).
"""

import json
import queue
import threading
import time as clock
from collections import deque
from datetime import UTC, date, datetime, time

from django.apps import apps
from django.db import connection, models
from django.utils import timezone

from accounts.models import Organization

FLUSH_ROWS = 50_000


def _default(field, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default():
        value = field.get_default()
        return json.dumps(value) if isinstance(value, dict | list) else value
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return ""
    raise ValueError(f"{field.model.__name__}.{field.name} needs a value")


class Table:
    """Rows of one model: the caller gives ``fields`` (``id`` first) in order; every other column gets its default."""

    def __init__(self, sink, model, fields: list[str]):
        self.sink, self.model = sink, model
        meta = model._meta
        given = [meta.get_field(name) for name in fields]
        names = {field.attname for field in given}
        rest = [field for field in meta.concrete_fields if field.attname not in names]
        self.tail = tuple(_default(field, sink.now) for field in rest)
        self.columns = [field.column for field in given + rest]
        self.rows: list[tuple] = []
        self.written = 0
        self.seconds = 0.0  # spent writing
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(meta.db_table)
            cursor.execute(f"SELECT MAX(id) FROM {table}")  # noqa: S608 - names from the models
            self.last_id = cursor.fetchone()[0] or 0

    def next_id(self) -> int:
        self.last_id += 1
        return self.last_id

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        started = clock.perf_counter()
        rows, self.rows = self.rows, []
        tail = self.tail
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        if connection.vendor == "postgresql":
            self.sink.copy(f"COPY {table} ({columns}) FROM STDIN", rows, tail)
        else:
            with connection.cursor() as cursor:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 - names from the models
                    [_sqlite(row + tail) for row in rows],
                )
        self.written += len(rows)
        self.seconds += clock.perf_counter() - started


def _sqlite(row: tuple) -> tuple:
    return tuple(
        value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        if isinstance(value, datetime)
        else value.isoformat()
        if isinstance(value, date | time)
        else value
        for value in row
    )


class Sink:
    """All the tables being written, flushed in the order they were first used (parents before children).

    With ``rebuild_indexes`` (PostgreSQL), each table's secondary indexes and unique constraints are dropped before
    its first row and built again at the end: one sorted build is several times faster than keeping a dozen indexes
    up to date row by row. The tables are locked until the transaction ends."""

    def __init__(self, *, rebuild_indexes: bool = False):
        self.now = timezone.now()
        self.tables: dict = {}
        self.rebuild = rebuild_indexes and connection.vendor == "postgresql"
        self.recreate: list[str] = []
        self.timings = {"write": 0.0, "indexes": 0.0}
        self._queue, self._writer, self._failure = None, None, None

    def copy(self, statement: str, rows: list[tuple], tail: tuple) -> None:
        """Queues rows for COPY on PostgreSQL: a thread writes them on this transaction's connection while the
        builder makes the next ones, so the server's work overlaps Python's."""
        if self._writer is None:
            self._queue = queue.Queue(maxsize=4)
            self._writer = threading.Thread(target=self._write, args=(connection.connection,), daemon=True)
            self._writer.start()
        self._check()
        self._queue.put((statement, rows, tail))

    def _write(self, raw) -> None:
        while (item := self._queue.get()) is not None:
            statement, rows, tail = item
            try:
                if self._failure is None:
                    with raw.cursor() as cursor, cursor.copy(statement) as copy:
                        for row in rows:
                            copy.write_row(row + tail)
            except Exception as error:
                self._failure = error
            finally:
                self._queue.task_done()
        self._queue.task_done()

    def _check(self) -> None:
        if self._failure is not None:
            raise self._failure

    def drain(self) -> None:
        """Waits until every queued row is written (before the builder uses the connection itself)."""
        if self._writer is not None:
            self._queue.put(None)
            self._writer.join()
            self._writer = None
        self._check()

    def table(self, model, fields: list[str]) -> Table:
        if model not in self.tables:
            if self.rebuild:
                self.recreate += _drop_indexes(model._meta.db_table)
            self.tables[model] = Table(self, model, fields)
        return self.tables[model]

    def flush(self) -> None:
        for table in self.tables.values():
            table.flush()

    def finish(self) -> dict[str, int]:
        self.flush()
        self.drain()
        self.timings["write"] = sum(table.seconds for table in self.tables.values())
        started = clock.perf_counter()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for statement in self.recreate:
                    cursor.execute(statement)
                self.timings["indexes"] = clock.perf_counter() - started
                for model in self.tables:
                    name = model._meta.db_table
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {name}))",  # noqa: S608
                        [name],
                    )
        return {model._meta.db_table: table.written for model, table in self.tables.items()}


def _drop_indexes(table: str) -> list[str]:
    """Drops ``table``'s unique constraints and its indexes other than the primary key; returns the statements that
    make them again."""
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
            "AND contype = 'u'",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i WHERE indrelid = "
            "%s::regclass AND NOT indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
            "i.indexrelid AND c.conrelid = i.indrelid)",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    return [f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
            for name, definition in constraints] + [definition for _name, definition in indexes]  # fmt: skip


def _path_to_organization(model) -> list | None:
    """The foreign keys leading from ``model`` to Organization, shortest first (None when there is no way)."""
    queue, seen = deque([(model, [])]), {model}
    while queue:
        current, path = queue.popleft()
        if current is Organization:
            return path
        for field in current._meta.concrete_fields:
            if field.many_to_one or field.one_to_one:
                target = field.related_model
                if target is not None and target not in seen and (target is Organization or field.null is False):
                    seen.add(target)
                    queue.append((target, [*path, field]))
    return None


def delete_organization(organization: Organization) -> None:
    """Deletes every row of ``organization`` with one DELETE per table, found through the foreign keys that lead to
    it (checked at commit, inside the caller's transaction). Users are kept; their memberships go."""
    statements = []
    models_ = [model for model in apps.get_models(include_auto_created=True) if model is not Organization]
    for model in models_:
        path = _path_to_organization(model)
        if not path:
            continue
        sql, params = "%s", [organization.pk]
        for field in reversed(path[1:]):
            target = field.model._meta
            parent = connection.ops.quote_name(target.db_table)
            sql = f"SELECT id FROM {parent} WHERE {field.column} IN ({sql})"  # noqa: S608 - names from the models
        first = path[0]
        table = connection.ops.quote_name(model._meta.db_table)
        delete = f"DELETE FROM {table} WHERE {first.column} IN ({sql})"  # noqa: S608 - names from the models
        statements.append((len(path), delete, params))
    # The longest paths first: each statement finds its rows through tables not yet emptied.
    statements.sort(key=lambda statement: -statement[0])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for _length, sql, params in statements:
            cursor.execute(sql, params)
        organizations = Organization._meta.db_table
        cursor.execute(f"DELETE FROM {organizations} WHERE id = %s", [organization.pk])  # noqa: S608
        if connection.vendor == "postgresql":
            # Check the keys now: nothing is left pointing at the deleted rows, and no checks stay queued (a table
            # with queued checks cannot have its indexes dropped).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
