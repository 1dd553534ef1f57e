"""Error reporting through Sentry (``SENTRY_DSN``), with personal data kept out of every event.

Hearth holds the records of people in recovery: an error report may name a request, a task and ids, never who. So
``send_default_pii`` is off, local variables are not sent, and ``scrub`` (``before_send``) removes what the SDK would
still send: request bodies, cookies, query strings, headers outside a short allow-list, the user's fields other than
the id, values under personal keys anywhere in extra data and contexts (and query strings inside their texts, such as
a logged request's repr), SQL breadcrumbs (their parameters) and e-mail addresses in messages.

Exception messages: kept only for the built-in programming errors in ``accounts.request_log.SAFE_EXCEPTION_TYPES``
(AttributeError, TypeError, KeyError...: their text is about code). Every other exception keeps its type and module
and its value becomes ``[scrubbed]``: Hearth's own errors name people ("Jane Doe already lives in another house") and
database errors quote row values. Log events keep their format string and lose their arguments; logging breadcrumbs
carry only the format string.

Performance traces (``SENTRY_TRACES_SAMPLE_RATE`` above 0) go through ``scrub_transaction``
(``before_send_transaction``): the same request, user, extra and context scrubbing, and every span keeps only
allow-listed data keys (no SQL parameters, template contexts, cache keys or URLs); span descriptions lose query
strings, SQL string literals and e-mail addresses, and cache spans lose their keys.
"""

import re

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from accounts.request_log import SCRUBBED, is_safe_exception

FILTERED = "[Filtered]"
# Headers that say what was asked without saying who asked.
ALLOWED_HEADERS = {"host", "content-type", "content-length", "accept", "x-request-id"}
# A key naming any of these holds personal data or a secret, whatever object it belongs to.
SENSITIVE_WORDS = (
    "email",
    "name",
    "phone",
    "birth",
    "address",
    "note",
    "body",
    "what_happened",
    "password",
    "secret",
    "token",
    "cookie",
    "authorization",
    "session",
    "ssn",
    "emergency",
)
# Keys the SDK itself writes that merely contain a word above.
_KNOWN_SAFE_KEYS = {"hostname", "server_name", "task_name", "view_name", "route_name", "logger_name"}
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_DROPPED_BREADCRUMBS = {"query", "redis", "httplib", "subprocess"}
# The query string of an address inside a text (a request's repr, a URL): from the "?" to the next quote or space.
_QUERY_STRING = re.compile(r"(?<=[\w/])\?[^\s'\"<>]*")
_SQL_STRING = re.compile(r"'(?:[^']|'')*'")
# Span data that says what ran, never with which values.
_SAFE_SPAN_DATA = (
    "thread.",
    "db.system",
    "db.name",
    "db.operation",
    "db.driver",
    "server.address",
    "server.port",
    "network.",
    "code.",
    "http.method",
    "http.request.method",
    "http.response.status_code",
    "messaging.system",
    "messaging.destination.name",
    "messaging.message.id",
    "messaging.message.retry.count",
    "signal",
    "cache.hit",
    "cache.item_size",
    "celery.",
)


def is_sensitive(key) -> bool:
    key = str(key).lower()
    return key not in _KNOWN_SAFE_KEYS and any(word in key for word in SENSITIVE_WORDS)


def _scrub_value(value):
    if isinstance(value, dict):
        return {key: FILTERED if is_sensitive(key) else _scrub_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_value(item) for item in value]
    if isinstance(value, str):
        return _scrub_text(value)
    return value


def _scrub_text(text: str) -> str:
    return _QUERY_STRING.sub("", _EMAIL.sub(FILTERED, text))


def _scrub_request(request: dict) -> dict:
    kept = {key: request[key] for key in ("method", "url") if key in request}
    if "url" in kept:
        kept["url"] = kept["url"].split("?", 1)[0]
    headers = request.get("headers") or {}
    kept["headers"] = {name: value for name, value in headers.items() if name.lower() in ALLOWED_HEADERS}
    return kept


def _scrub_frames(event: dict) -> None:
    for exception in (event.get("exception") or {}).get("values") or []:
        if exception.get("value"):
            if is_safe_exception(str(exception.get("type")), exception.get("module")):
                exception["value"] = _EMAIL.sub(FILTERED, exception["value"])
            else:
                exception["value"] = SCRUBBED
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)


def _scrub_common(event: dict) -> None:
    if "request" in event:
        event["request"] = _scrub_request(event["request"])
    user = event.get("user")
    if user is not None:
        event["user"] = {"id": user["id"]} if user.get("id") is not None else {}
    for key in ("extra", "contexts"):
        if key in event:
            event[key] = _scrub_value(event[key])
    trace = (event.get("contexts") or {}).get("trace")
    if isinstance(trace, dict):
        _scrub_span(trace)


def _scrub_span(span: dict) -> None:
    if isinstance(span.get("data"), dict):
        span["data"] = {key: value for key, value in span["data"].items() if str(key).startswith(_SAFE_SPAN_DATA)}
    description = span.get("description")
    if isinstance(description, str):
        op = str(span.get("op") or "")
        if op.startswith("cache"):
            span["description"] = FILTERED  # the key: it may hold an e-mail or an address (throttle counters)
        else:
            if op.startswith("db"):
                description = _SQL_STRING.sub("'?'", description)
            span["description"] = _scrub_text(description)


def scrub_transaction(event: dict, hint=None) -> dict:
    """``before_send_transaction``: a performance trace without personal data."""
    _scrub_common(event)
    for span in event.get("spans") or []:
        _scrub_span(span)
    _tag_with_log_context(event)
    return event


def scrub_breadcrumb(crumb: dict, hint=None) -> dict:
    """``before_breadcrumb``: a logging breadcrumb keeps its format string, never the values put into it."""
    record = (hint or {}).get("log_record")
    if record is not None and record.args:
        crumb["message"] = _EMAIL.sub(FILTERED, str(record.msg))
    crumb.pop("data", None)
    return crumb


def scrub(event: dict, hint=None) -> dict:
    """``before_send``: the event without personal data (and tagged with the request or task id of the logs)."""
    _scrub_common(event)
    _scrub_frames(event)
    logentry = event.get("logentry")
    if logentry:
        if isinstance(logentry.get("message"), str):
            logentry["message"] = _EMAIL.sub(FILTERED, logentry["message"])
        if logentry.get("params"):
            # The values put into a log line are what names people; the format string says what happened.
            params = logentry["params"]
            scrubbed = dict.fromkeys(params, SCRUBBED) if isinstance(params, dict) else [SCRUBBED] * len(params)
            logentry["params"] = scrubbed
            logentry.pop("formatted", None)
        elif isinstance(logentry.get("formatted"), str):
            logentry["formatted"] = _EMAIL.sub(FILTERED, logentry["formatted"])
    if isinstance(event.get("message"), str):
        event["message"] = _EMAIL.sub(FILTERED, event["message"])
    breadcrumbs = event.get("breadcrumbs")
    if breadcrumbs:
        values = breadcrumbs.get("values", []) if isinstance(breadcrumbs, dict) else breadcrumbs
        kept = []
        for crumb in values:
            if crumb.get("category") in _DROPPED_BREADCRUMBS:
                continue
            crumb.pop("data", None)
            if isinstance(crumb.get("message"), str):
                crumb["message"] = _EMAIL.sub(FILTERED, crumb["message"])
            kept.append(crumb)
        event["breadcrumbs"] = {"values": kept} if isinstance(breadcrumbs, dict) else kept
    _tag_with_log_context(event)
    return event


def _tag_with_log_context(event: dict) -> None:
    from accounts import request_log

    context = request_log.current()
    if context is None:
        return
    tags = event.setdefault("tags", {})
    tags["request_id"] = context.request_id
    if context.organization_id is not None:
        tags["organization_id"] = str(context.organization_id)
    if context.task_id is not None:
        tags["task_id"] = context.task_id


def init(*, dsn: str, environment: str, release: str | None, traces_sample_rate: float, **options) -> None:
    """Starts the SDK (``options``: tests pass a recording ``transport``)."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=scrub,
        before_send_transaction=scrub_transaction,
        before_breadcrumb=scrub_breadcrumb,
        **options,
    )
