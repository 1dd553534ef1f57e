"""The audit trail of sensitive data (drug tests, incidents, resident notes, certification documents).

Every read (list or detail, API, page or admin) and every change of such data by staff writes an append-only
``AuditEntry``: who, which organization, which object, what they did, when, from which address and path.

Audit lives where the data is read or changed, as Zulip's actions write their own audit rows, so no caller can
forget it:

- Reads: the sensitive selectors return ``audited(queryset, viewer=...)``. Fetching its rows records a ``list``
  naming exactly the rows fetched (the page shown); ``get()``, ``first()``, ``latest()`` record a ``view``.
  Counts, ``exists()`` and ``values()`` fetch no row and record nothing. Residents reading their own records are
  not audited (they are not staff).
- Changes: the services call ``changed(...)`` inside their transaction.
- The request being served (``channel``: opened by the page middleware, so for the admin too, and by the API's
  ``ViewerMixin``) says who is acting, from which address and path. Its reads are written when it ends, and only if
  its answer showed them (``Channel.answered``): one entry per organization, model and action, so a page that shows
  the same model twice names every row once, and a ``view`` of an object the same request also lists, changes or
  downloads is said by that entry. Outside any request (a task, a shell) a read is written at once, naming the
  viewer; a service called outside a request (a seed, a command) has no one at a screen and writes no entry.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable

from .models import AuditEntry, Membership
from .throttling import client_address

Action = AuditEntry.Action

# The admin's reader: a site administrator may hold no membership; each entry names the organization of its rows.
SITE_ADMIN = object()


def client_ip(request) -> str | None:
    # The same address the sign-in limits see: X-Forwarded-For is read only as far as TRUSTED_PROXY_COUNT allows.
    return client_address(request)


def _label(model) -> str:
    return model._meta.label_lower


def _entry(*, actor, organization_id, action, model, ids, ip_address=None, path="", detail="") -> AuditEntry:
    ids = [str(pk) for pk in ids]
    return AuditEntry.objects.create(
        actor=actor,
        organization_id=organization_id,
        action=action,
        object_type=_label(model),
        object_id=ids[0] if len(ids) == 1 and action != Action.LIST else "",
        object_count=len(ids),
        ip_address=ip_address,
        path=path,
        detail=detail or (", ".join(ids) if action == Action.LIST else ""),
    )


class Channel:
    """The request being served: who acts (``request.user``), from which address and path, and the reads it made,
    written by ``close`` when it ends."""

    def __init__(self, request, *, api: bool = False):
        self.request = request
        self.api = api
        self.reads: dict[tuple, dict[str, None]] = {}  # (organization, action, model) -> ids, in the order read
        self.said: set[tuple[str, str]] = set()  # (model label, id) named by an entry written already
        # Nothing is written until an answer says it showed the reads: a request that dies with an unhandled error
        # (a 500 the framework re-raises) showed nothing.
        self.shown = False

    def read(self, organization_id: int, action: str, model, ids: list[str]) -> None:
        self.reads.setdefault((organization_id, action, model), {}).update(dict.fromkeys(ids))

    def answered(self, status_code: int) -> None:
        """Reads are written only when the answer showed them. The API sends rows only in a successful answer (a
        refused change, a 404 shows nothing it fetched); a page refused with a 400 or a 409 shows its lists again,
        but a 403, a 404 or an error page shows nothing."""
        if self.api:
            self.shown = status_code < 400
        else:
            self.shown = status_code not in (403, 404) and status_code < 500

    def close(self) -> None:
        if not self.shown:
            return
        said = set(self.said)
        for (_organization_id, action, model), ids in self.reads.items():
            if action != Action.VIEW:
                said.update((_label(model), pk) for pk in ids)
        for (organization_id, action, model), ids in self.reads.items():
            if action != Action.VIEW:
                self._write(organization_id, action, model, list(ids))
                continue
            for pk in ids:
                if (_label(model), pk) not in said:
                    self._write(organization_id, action, model, [pk])

    def _write(self, organization_id, action, model, ids):
        if not ids and not (self.api and action == Action.LIST):
            return
        _entry(
            actor=self.request.user, organization_id=organization_id, action=action, model=model, ids=ids,
            ip_address=client_ip(self.request), path=self.request.get_full_path()[:500],
        )  # fmt: skip


_channel: ContextVar[Channel | None] = ContextVar("audit_channel", default=None)


@contextmanager
def channel(request, *, api: bool = False):
    """Serves ``request`` as the audit's channel; its reads are written when it ends. ``api``: the API answers a
    query's filters even when nothing matched, so an empty API list is a read too (a page's empty list is not)."""
    current = Channel(request, api=api)
    token = _channel.set(current)
    try:
        yield current
    finally:
        _channel.reset(token)
        current.close()


@contextmanager
def outside_any_request():
    """Runs the block as if no request were being served: a Celery task run eagerly inside a request (development,
    tests) reads and writes as a worker does, not as the request that queued it."""
    token = _channel.set(None)
    try:
        yield
    finally:
        _channel.reset(token)


def _read(reader, action: str, model, objects: list) -> None:
    """Records a read of ``objects`` (instances of ``model``) by ``reader`` (a Membership, or ``SITE_ADMIN``)."""
    current = _channel.get()
    if reader is SITE_ADMIN:
        if current is None:
            return
        for obj in objects:
            current.read(obj.organization_id, action, model, [str(obj.pk)])
        return
    if not reader or not reader.is_staff_member:
        return
    ids = [str(obj.pk) for obj in objects]
    if current is not None:
        if ids or action == Action.LIST:
            current.read(reader.organization_id, action, model, ids)
        return
    # No request: written at once, naming the viewer (a task or a shell has no address or path).
    groups = [[pk] for pk in ids] if action == Action.VIEW else [ids]
    for group in filter(None, groups):
        _entry(actor=reader.user, organization_id=reader.organization_id, action=action, model=model, ids=group)


class AuditedQuerySet(QuerySet):
    """A queryset whose fetched model rows are an audited read by ``_audit_reader`` (see the module)."""

    _audit_reader = None

    def _clone(self):
        clone = super()._clone()
        clone._audit_reader = self._audit_reader
        return clone

    def _quiet(self):
        clone = self._chain()
        clone._audit_reader = None
        return clone

    def _audits_rows(self) -> bool:
        return self._audit_reader is not None and issubclass(self._iterable_class, ModelIterable)

    def _fetch_all(self):
        fetching = self._result_cache is None
        super()._fetch_all()
        if fetching and self._audits_rows():
            _read(self._audit_reader, Action.LIST, self.model, self._result_cache)

    def iterator(self, chunk_size=None):
        if not self._audits_rows():
            yield from super().iterator(chunk_size)
            return
        seen = []
        try:
            for obj in self._quiet().iterator(chunk_size):
                seen.append(obj)
                yield obj
        finally:
            _read(self._audit_reader, Action.LIST, self.model, seen)

    def get(self, *args, **kwargs):
        if not self._audits_rows():
            return super().get(*args, **kwargs)
        obj = self._quiet().get(*args, **kwargs)
        _read(self._audit_reader, Action.VIEW, self.model, [obj])
        return obj

    def _one(self, method: str):
        if not self._audits_rows():
            return getattr(super(), method)()
        obj = getattr(self._quiet(), method)()
        if obj is not None:
            _read(self._audit_reader, Action.VIEW, self.model, [obj])
        return obj

    def first(self):
        return self._one("first")

    def last(self):
        return self._one("last")


_audited_classes: dict[type, type] = {}


def audited(queryset: QuerySet, *, viewer) -> QuerySet:
    """``queryset``, whose fetched rows are a read by ``viewer`` (a Membership; ``SITE_ADMIN`` in the admin): the
    one way a sensitive selector returns its rows."""
    base = type(queryset)
    if not issubclass(base, AuditedQuerySet):
        base = _audited_classes.setdefault(base, type(f"Audited{base.__name__}", (AuditedQuerySet, base), {}))
    clone = queryset._chain()
    clone.__class__ = base
    clone._audit_reader = viewer
    return clone


def changed(*, actor, action: str, instance: Model, detail: str = "") -> AuditEntry | None:
    """Records a change (``create``, ``update``) of a sensitive ``instance`` by ``actor`` (a Membership). Called by
    the service that makes the change, inside its transaction, so the entry exists exactly when the change does.
    Only a change made through a request is audited: a seed or a command calling the service writes nothing."""
    current = _channel.get()
    if current is None:
        return None
    viewer = actor if isinstance(actor, Membership) else getattr(current.request, "viewer", None)
    return record(
        request=current.request, viewer=viewer, action=action, model=type(instance), object_ids=[instance.pk],
        detail=detail,
    )  # fmt: skip


def downloaded(*, actor: Membership, model: type[Model], object_ids, detail: str = "") -> AuditEntry | None:
    """Records a download of ``object_ids`` (rows of ``model``) by ``actor``, by the service that hands the files
    out, under the request being served; outside any request (a task, a shell) nothing is written."""
    current = _channel.get()
    if current is None:
        return None
    return record(
        request=current.request, viewer=actor, action=Action.DOWNLOAD, model=model, object_ids=object_ids,
        detail=detail,
    )  # fmt: skip


def changed_many(
    *, actor: Membership, action: str, model: type[Model], object_ids, detail: str = ""
) -> AuditEntry | None:
    """Records one change of many rows of ``model`` at once (``archive``, ``restore``) by ``actor``: one entry with
    their count and, in ``detail``, their ids. Written by the service under the request being served; outside any
    request (a seed, a command) nothing is written, as for ``changed``."""
    current = _channel.get()
    ids = [str(pk) for pk in object_ids]
    if current is None or not ids:
        return None
    text = f"{detail}: {', '.join(ids)}" if detail else ", ".join(ids)
    entry = record(request=current.request, viewer=actor, action=action, model=model, object_ids=ids, detail=text)
    return entry


def changed_fields(names: Iterable[str]) -> str:
    """The ``detail`` of an update: the fields it was given, sorted."""
    return "changed: " + ", ".join(sorted(names))


def record(
    *,
    request,
    viewer: Membership,
    action: str,
    model: type[Model],
    object_ids=(),
    detail: str = "",
) -> AuditEntry | None:
    """Writes one audit entry at once (a change, a download). Reads by residents of their own records are not
    audited (they are not staff)."""
    if not viewer or not viewer.is_staff_member:
        return None
    ids = [str(pk) for pk in object_ids]
    current = _channel.get()
    if current is not None:
        current.said.update((_label(model), pk) for pk in ids)
    return _entry(
        actor=request.user, organization_id=viewer.organization_id, action=action, model=model, ids=ids,
        ip_address=client_ip(request), path=request.get_full_path()[:500], detail=detail,
    )  # fmt: skip


class AuditedAdminMixin:
    """For admin classes of sensitive models: the admin reads through an audited queryset like every other caller,
    so its change list and each object it opens are audited reads, under each row's organization."""

    def get_queryset(self, request):
        return audited(super().get_queryset(request), viewer=SITE_ADMIN)
