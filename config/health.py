"""``/healthz``: is every part Hearth needs answering? For load balancers and ``make prod-check``.

No login, no session, no personal data, no audit. Each part (database, cache, broker, storage) is checked in a thread
of its own and given ``TIMEOUT`` seconds, so a part that hangs makes the answer a 503 naming it within about two
seconds instead of holding the prober. Reasons are exception class names, never a message: a driver's message may
carry a connection string with its password.

A flood of probes cannot pile up threads or storage requests: each process keeps one pool of at most ``THREADS``
threads and its last answer for ``REMEMBER`` seconds, a probe arriving while a part is being checked waits for that
same check, and a part still hung from an earlier probe is not checked again (it is reported as not answering).
"""

import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

TIMEOUT = 1.5  # seconds, for all parts together: they run side by side
REMEMBER = 3.0  # seconds an answer is reused by this process
THREADS = 4


def check_database() -> str:
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()  # the check's own thread: its connection would otherwise outlive it
    return "ok"


def check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    value = cache.get(key)
    cache.delete(key)
    if value != "ok":
        raise LookupError("value not read back")
    return "ok"


def check_broker() -> str:
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return "in-process"
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=1) as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
    return "ok"


def check_storage() -> str:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != b"ok":
                raise LookupError("file not read back")
    finally:
        default_storage.delete(name)
    return "ok"


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker, "storage": check_storage}


_pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="healthz")
_lock = threading.Lock()
_in_flight: dict[str, tuple[Future, float]] = {}  # each part's latest check and when it started
_answer: tuple[float, dict[str, dict]] | None = None  # the latest answer and when it was made


def forget() -> None:
    """Forgets the latest answer and the checks under way (tests, which change the checks between probes)."""
    global _answer
    with _lock:
        _answer = None
        _in_flight.clear()


def _started_checks(now: float) -> dict[str, tuple[Future, float]]:
    with _lock:
        started = {}
        for name, check in CHECKS.items():
            future, since = _in_flight.get(name, (None, 0.0))
            if future is None or future.done():
                future, since = _pool.submit(check), now
                _in_flight[name] = future, since
            started[name] = future, since
        return started


def run_checks() -> dict[str, dict]:
    global _answer
    now = time.monotonic()
    with _lock:
        if _answer is not None and now - _answer[0] < REMEMBER:
            return _answer[1]
    results = {}
    for name, (future, since) in _started_checks(now).items():
        try:
            detail = future.result(timeout=max(0.0, since + TIMEOUT - time.monotonic()))
            results[name] = {"ok": True, "detail": detail}
        except FutureTimeout:
            results[name] = {"ok": False, "detail": f"no answer within {TIMEOUT:g}s"}
        except Exception as error:  # any failure of a part is its 503, named
            results[name] = {"ok": False, "detail": f"failed ({type(error).__name__})"}
    with _lock:
        _answer = time.monotonic(), results
    return results


@csrf_exempt
@require_safe
def healthz(request):
    checks = run_checks()
    failing = sorted(name for name, result in checks.items() if not result["ok"])
    body = {"status": "failing" if failing else "ok", "checks": checks}
    if failing:
        body["failing"] = failing
    response = JsonResponse(body, status=503 if failing else 200)
    patch_cache_control(response, no_store=True)
    return response
