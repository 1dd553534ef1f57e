"""Structured logs: one line per request and one per Celery task run, each carrying a request id, the organization
and the user (ids only), and every other line written while that request or task runs carries the same three.

Never personal data: no e-mail, names, query strings (tokens travel there), bodies, headers or client addresses
(the audit log keeps addresses; logs are copied to more places and kept by more people). A path segment that is a
secret (a password reset or invitation token) is written as ``*``.

- ``RequestLogMiddleware`` (first in ``MIDDLEWARE``, so it times and logs every request, also those refused before
  authentication) opens the context and writes the access line on ``hearth.access``.
- ``identify`` fills in who is acting once it is known: the page middleware (``accounts.middleware``) after the
  session is read, the API's ``ViewerMixin`` after the token is read.
- ``ContextFilter`` (on the handler) copies the context onto every record; ``JsonFormatter`` writes one JSON object a
  line and leaves out the attributes Django and Celery attach that could hold personal data.
- Tasks: a task published while a request or another task runs carries that context in its message headers
  (``hearth_request_id``, ``hearth_organization_id``, ``hearth_user_id``, set on ``before_task_publish``); when it runs
  (``task_prerun``) its lines carry the originating ``request_id``, the same ``organization_id`` and ``user_id``, and
  its own ``task_id``. A task run eagerly keeps its caller's context the same way. A task nobody's request published
  (beat, the ``DeferredTask`` outbox resending later) has its own task id as ``request_id`` and the organization only
  from an ``organization_id`` argument.

Exception messages are personal data more often than not ("Jane Doe already lives in another house", a database
error quoting a row). ``safe_exception_text`` keeps the type and module and replaces the message by ``[scrubbed]``
unless the type is one of ``SAFE_EXCEPTION_TYPES`` (built-in programming errors whose text is about code). It is used
for Celery's failure line and for every traceback ``JsonFormatter`` writes (the frames, which show code lines, stay),
and by ``config/sentry.py``. The plain ``text`` format (development) writes tracebacks unchanged.
"""

import logging
import re
import time
import traceback
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.utils.functional import LazyObject, empty
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

access_log = logging.getLogger("hearth.access")
task_log = logging.getLogger("hearth.task")

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's or client's id is kept when it is a plain token, so one id follows a request across services; anything
# else (long, spaces, quotes, newlines) could forge or break log lines and is replaced.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
# URL parameters that are secrets: their values never reach a log.
_SECRET_URL_KWARGS = {"token", "uidb64"}
# Attributes Django and Celery attach to records: the request (its repr has the query string), a failed task's
# arguments (``data``).
_UNSAFE_ATTRS = ("request", "data")
CONTEXT_KEYS = ("request_id", "organization_id", "user_id", "task_id")
# Message headers that carry the publishing request's (or task's) context to the worker.
TASK_HEADERS = {
    "request_id": "hearth_request_id",
    "organization_id": "hearth_organization_id",
    "user_id": "hearth_user_id",
}

# Built-in exception types whose message is about code (an attribute, an argument count, a missing key), so it helps
# and names nobody. Every other message (``accounts.exceptions``, database errors quoting values, ValueError with
# whatever was parsed) is replaced: the type and module are enough to find the code.
SAFE_EXCEPTION_TYPES = frozenset(
    {
        "AttributeError",
        "TypeError",
        "KeyError",
        "NameError",
        "UnboundLocalError",
        "ImportError",
        "ModuleNotFoundError",
        "NotImplementedError",
        "RecursionError",
    }
)
SCRUBBED = "[scrubbed]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def is_safe_exception(type_name: str, module: str | None) -> bool:
    return module in (None, "", "builtins") and type_name in SAFE_EXCEPTION_TYPES


def safe_exception_message(exception: BaseException) -> str:
    """The exception's message when its type is known to be about code (e-mail addresses still removed), else
    ``[scrubbed]``."""
    kind = type(exception)
    if is_safe_exception(kind.__name__, kind.__module__):
        return _EMAIL.sub(SCRUBBED, str(exception))
    return SCRUBBED


def safe_exception_text(exception: BaseException) -> str:
    kind = type(exception)
    name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    return f"{name}: {safe_exception_message(exception)}"


def safe_traceback(exc_info) -> str:
    """The traceback as Python prints it, with each exception's message (also of its causes) made safe."""
    _, exception, _ = exc_info
    if exception is None:
        return ""
    formatted = traceback.TracebackException.from_exception(exception)
    seen = set()
    unvisited = [(formatted, exception)]
    while unvisited:
        current_formatted, current = unvisited.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        current_formatted._str = safe_exception_message(current)  # the one line that holds the message
        for link, linked in (("__cause__", current.__cause__), ("__context__", current.__context__)):
            if linked is not None and getattr(current_formatted, link, None) is not None:
                unvisited.append((getattr(current_formatted, link), linked))
    return "".join(formatted.format()).rstrip("\n")


@dataclass
class LogContext:
    request_id: str
    organization_id: int | None = None
    user_id: int | None = None
    task_id: str | None = None


_context: ContextVar[LogContext | None] = ContextVar("log_context", default=None)


def current() -> LogContext | None:
    return _context.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_from(header: str | None) -> str:
    if header and _SANE_REQUEST_ID.fullmatch(header):
        return header
    return new_request_id()


def identify(user, viewer) -> None:
    """Records who the running request acts as (``viewer``: a Membership or None)."""
    context = _context.get()
    if context is None:
        return
    context.user_id = user.pk if user is not None and user.is_authenticated else None
    context.organization_id = viewer.organization_id if viewer else None


def _resolved(value):
    """A lazy object's value if it was already computed, else None: logging never runs a query."""
    if isinstance(value, LazyObject):
        wrapped = value._wrapped
        return None if wrapped is empty else wrapped
    return value


class ContextFilter(logging.Filter):
    """Puts the running request's (or task's) id, organization id and user id on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _context.get()
        request = getattr(record, "request", None)
        if request is not None:
            # django.request writes "Not Found: <path>" after the middleware has finished: the request's own context,
            # and its path with secrets starred.
            context = context or getattr(request, "log_context", None)
            if isinstance(record.args, tuple) and getattr(request, "path", None) in record.args:
                path = loggable_path(request)
                record.args = tuple(path if arg == request.path else arg for arg in record.args)
        if isinstance(record.args, dict) and "exc" in record.args and record.exc_info and record.exc_info[1]:
            # Celery's failure line ("Task ... raised unexpected: %(exc)s") with the exception's repr.
            record.args = {**record.args, "exc": safe_exception_text(record.exc_info[1])}
        for key in CONTEXT_KEYS:
            if not hasattr(record, key):
                setattr(record, key, getattr(context, key) if context else None)
        return True


class JsonFormatter(BaseJsonFormatter):
    """python-json-logger's formatter with a fixed set of standard fields, minus attributes that may hold personal
    data."""

    def __init__(self, fmt="%(levelname)s %(name)s %(message)s", *args, **kwargs):
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, *_UNSAFE_ATTRS])
        kwargs.setdefault("timestamp", True)
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        super().__init__(fmt, *args, **kwargs)

    def formatException(self, ei) -> str:
        return safe_traceback(ei)


def loggable_path(request) -> str:
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if name in _SECRET_URL_KWARGS and value:
                path = path.replace(str(value), "*")
    return path


class RequestLogMiddleware:
    """Opens the log context of a request, echoes its id in ``X-Request-ID`` and writes its one access line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        context = LogContext(request_id=request_id_from(request.headers.get(REQUEST_ID_HEADER)))
        request.request_id = context.request_id
        request.log_context = context
        token = _context.set(context)
        status = 500  # only if an error escaped every inner middleware's handling
        try:
            response = self.get_response(request)
            status = response.status_code
            response[REQUEST_ID_HEADER] = context.request_id
            return response
        finally:
            if context.user_id is None:
                # A sign-in answers for the user it signed in; a site administrator has no membership.
                user = _resolved(getattr(request, "user", None))
                if user is not None and user.is_authenticated:
                    context.user_id = user.pk
            match = getattr(request, "resolver_match", None)
            access_log.info(
                "%s %s %s",
                request.method,
                loggable_path(request),
                status,
                extra={
                    "method": request.method,
                    "path": loggable_path(request),
                    "route": match.view_name if match is not None else None,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            _context.reset(token)


# Celery: one line per task run. A task run eagerly inside a request (development, tests) gets its own context, made
# from the request's, and gives the request's back when it ends.
_tasks: dict[str, tuple] = {}


def _organization_of(args, kwargs) -> int | None:
    value = (kwargs or {}).get("organization_id")
    return value if isinstance(value, int) else None


@before_task_publish.connect(dispatch_uid="accounts.request_log.before_task_publish")
def _task_published(headers=None, **_):
    context = _context.get()
    if context is None or headers is None:
        return
    for key, header in TASK_HEADERS.items():
        value = getattr(context, key)
        if value is not None:
            headers[header] = value


def _int_or_none(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def task_context(task_id: str | None, message, caller: LogContext | None, kwargs=None) -> LogContext:
    """The log context of a task run: from its message headers (published by a request or task), else from the
    caller it runs inside (eager), else its own id and its ``organization_id`` argument."""
    sent = {key: getattr(message, header, None) for key, header in TASK_HEADERS.items()} if message else {}
    request_id = sent.get("request_id") or (caller.request_id if caller else None)
    organization_id = _int_or_none(sent.get("organization_id"))
    user_id = _int_or_none(sent.get("user_id"))
    if caller is not None and not any(sent.values()):
        organization_id, user_id = caller.organization_id, caller.user_id
    if not (isinstance(request_id, str) and _SANE_REQUEST_ID.fullmatch(request_id)):
        request_id = task_id or new_request_id()
    return LogContext(
        request_id=request_id,
        organization_id=organization_id if organization_id is not None else _organization_of(None, kwargs),
        user_id=user_id,
        task_id=task_id,
    )


@task_prerun.connect(dispatch_uid="accounts.request_log.task_prerun")
def _task_started(task_id=None, task=None, args=None, kwargs=None, **_):
    context = task_context(task_id, getattr(task, "request", None), _context.get(), kwargs)
    _tasks[task_id] = (_context.set(context), time.perf_counter())


@task_postrun.connect(dispatch_uid="accounts.request_log.task_postrun")
def _task_finished(task_id=None, task=None, state=None, **_):
    token, started = _tasks.pop(task_id, (None, None))
    if token is None:
        return
    name = getattr(task, "name", None)
    try:
        task_log.info(
            "task %s %s",
            name,
            state,
            extra={
                "task": name,
                "task_id": task_id,
                "state": state,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
    finally:
        _context.reset(token)
