"""Who is asking, and how often: the client's address behind trusted proxies, and the limits on signing in and on
password reset e-mails.

Every place that reads a client's address (django-axes, DRF throttles, these limits, the audit log) asks
``client_address``. The counters live in the default cache, which must be shared by every process in production
(Redis through ``CACHE_URL``); a deploy check refuses a process-local one.

While that cache is unreachable the limits do not fail open where it matters: failed sign-ins per account and per
address are counted in the database instead, from django-axes' log of every failure (``AccessFailureLog``), and
password reset e-mails are not sent at all (the page answers as usual). One ERROR a minute says so.
"""

import ipaddress
import logging
import math
import time
from datetime import timedelta

from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core import checks
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import ngettext
from django_ratelimit.core import _split_rate, get_usage
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle

from .auth import login_attempt_username

logger = logging.getLogger("accounts.throttling")

# Process-local caches: each worker would count on its own, so N workers would allow N times every limit.
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def client_address(request) -> str | None:
    """The client's address, as far as the deployment's trusted proxies vouch for it.

    Each trusted proxy appends the address it was reached from to ``X-Forwarded-For``, so with
    ``TRUSTED_PROXY_COUNT`` = N the N-th entry from the right is the client's; anything left of it was written by the
    client and can be forged. With 0 (the default) the header is ignored. A header shorter than N, or an entry that
    is not an address, falls back to ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count].strip()))
    except ValueError:
        return remote


def _address_key(group, request) -> str:
    address = client_address(request) or "unknown"
    if ":" in address:
        # One IPv6 subscriber usually holds a whole /64; counting single addresses would let it rotate freely.
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return address


# The cache unreachable: counted in the database instead.

ALARM_EVERY = 60.0  # seconds between two ERRORs about the cache while it stays unreachable
_alarmed_at = -ALARM_EVERY


def _cache_unreachable() -> bool:
    """Whether the cache's latest call (the counter just read, on this thread) failed to reach it."""
    global _alarmed_at
    cache = caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
    if not getattr(cache, "unreachable", False):
        return False
    if time.monotonic() - _alarmed_at >= ALARM_EVERY:
        _alarmed_at = time.monotonic()
        logger.error("rate limits: cache unreachable, using the database")
    return True


def _database_wait(rate: str, **failures) -> int | None:
    """Seconds until the failures django-axes logged (filtered by ``failures``) fall under ``rate``, or None while
    they are under it."""
    limit, period = _split_rate(rate)
    now = timezone.now()
    times = list(
        AccessFailureLog.objects.filter(attempt_time__gt=now - timedelta(seconds=period), **failures)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)[:limit]
    )
    if len(times) < limit:
        return None
    return max(math.ceil((times[-1] + timedelta(seconds=period) - now).total_seconds()), 1)


# The database fallback reads windows of minutes; a month of failures is kept for whoever looks into an attack.
FAILURE_LOG_KEPT = timedelta(days=30)


def sign_in_failures_prune(*, now=None) -> int:
    """Deletes django-axes' records of failed sign-ins older than ``FAILURE_LOG_KEPT``; returns how many went."""
    cutoff = (now or timezone.now()) - FAILURE_LOG_KEPT
    deleted, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    return deleted


# Failed sign-ins per address, across any accounts, on the login page and the token login together.

LOGIN_FAILURES = "accounts.login-failures-per-address"


def _login_failures(request, *, increment: bool) -> dict | None:
    return get_usage(
        request, group=LOGIN_FAILURES, key=_address_key, rate=settings.LOGIN_FAILURES_PER_ADDRESS, increment=increment
    )


def login_failures_wait(request) -> int | None:
    """Seconds until this address may try to sign in again, or None while it is under its limit of failures."""
    usage = _login_failures(request, increment=False)
    if _cache_unreachable():
        # The exact address (an IPv6 client is not grouped by its /64 here).
        address = client_address(request)
        return _database_wait(settings.LOGIN_FAILURES_PER_ADDRESS, ip_address=address) if address else None
    if usage is None or usage["count"] < usage["limit"]:
        return None
    return max(usage["time_left"], 1)


def address_lockout_message(wait: int) -> str:
    minutes = math.ceil(wait / 60)
    return ngettext(
        "Too many failed sign-in attempts from your network. Try again in %(minutes)s minute or reset your password.",
        "Too many failed sign-in attempts from your network. Try again in %(minutes)s minutes or reset your password.",
        minutes,
    ) % {"minutes": minutes}


# Failed sign-ins per account, from any addresses: guessing one account's password from many addresses. Higher than
# django-axes' limit per account and address, since anyone can trip it for someone else's e-mail.

ACCOUNT_FAILURES = "accounts.login-failures-per-account"


def _account_failures(request, username: str, *, increment: bool) -> dict | None:
    return get_usage(
        request, group=ACCOUNT_FAILURES, key=lambda group, request: username,
        rate=settings.LOGIN_FAILURES_PER_ACCOUNT, increment=increment,
    )  # fmt: skip


def account_failures_wait(request, username: str) -> int | None:
    """Seconds until this e-mail may be tried again, or None while it is under its limit of failures. Counts any
    e-mail typed, with or without an account, so being limited reveals nothing."""
    username = (username or "").strip().lower()
    if not username:
        return None
    usage = _account_failures(request, username, increment=False)
    if _cache_unreachable():
        return _database_wait(settings.LOGIN_FAILURES_PER_ACCOUNT, username=username)
    if usage is None or usage["count"] < usage["limit"]:
        return None
    return max(usage["time_left"], 1)


def account_lockout_message(wait: int) -> str:
    minutes = math.ceil(wait / 60)
    return ngettext(
        "Too many failed sign-in attempts for this e-mail. Try again in %(minutes)s minute or reset your password.",
        "Too many failed sign-in attempts for this e-mail. Try again in %(minutes)s minutes or reset your password.",
        minutes,
    ) % {"minutes": minutes}


@receiver(user_login_failed, dispatch_uid="accounts.throttling.count_failed_login")
def count_failed_login(sender, credentials, request=None, **kwargs):
    if request is not None:
        _login_failures(request, increment=True)
        username = login_attempt_username(request, credentials)
        if username:
            _account_failures(request, username, increment=True)


class SignInLimitsBackend:
    """Refuses every sign-in, right password or not, from an address or for an e-mail over its limit of failures;
    as an authentication backend it holds wherever ``authenticate`` runs: the login page, the token login, the
    Django admin's login. It signs nobody in, so it has no ``get_user``: a session never names it as its backend."""

    def authenticate(self, request, username=None, **credentials):
        if request is None:
            return None
        if login_failures_wait(request) is not None or account_failures_wait(request, username) is not None:
            raise PermissionDenied
        return None


class LoginFailuresThrottle(BaseThrottle):
    """Refuses token logins from an address that has used up its failed sign-ins (shared with the login page)."""

    def allow_request(self, request, view):
        self._wait = login_failures_wait(request) if request.method == "POST" else None
        return self._wait is None

    def wait(self):
        return self._wait


class LoginRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, counting per address as ``client_address`` sees it.

    DRF's own ``get_ident`` agrees with ``client_address`` once ``NUM_PROXIES`` = ``TRUSTED_PROXY_COUNT``, except
    for a header shorter than the proxy count, where it takes the left-most (forgeable) entry.
    """

    def get_ident(self, request):
        return _address_key(None, request)


# Password reset e-mails, per address and per e-mail. Both count every request, whether or not the e-mail has an
# account, so being limited says nothing about who has one.


def password_resets_exhausted_for_address(request) -> bool:
    usage = get_usage(
        request, group="accounts.password-resets-per-address", key=_address_key,
        rate=settings.PASSWORD_RESETS_PER_ADDRESS, increment=True,
    )  # fmt: skip
    return usage is not None and usage["should_limit"]


def password_resets_exhausted_for_email(request, email: str) -> bool:
    """True past the per-e-mail limit, and while the cache is unreachable (nothing could count the e-mails sent: one
    inbox must not be flooded meanwhile)."""
    usage = get_usage(
        request, group="accounts.password-resets-per-email", key=lambda group, request: email.strip().lower(),
        rate=settings.PASSWORD_RESETS_PER_EMAIL, increment=True,
    )  # fmt: skip
    if _cache_unreachable():
        return True
    return usage is not None and usage["should_limit"]


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Sign-in and password reset limits count in the default cache, which every process must share."""
    if settings.DEBUG:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        checks.Error(
            f"The default cache ({backend}) is kept inside each process, so every worker counts sign-in and password "
            "reset attempts on its own and each limit is multiplied by the number of workers.",
            hint="Set CACHE_URL to a shared cache, for example CACHE_URL=redis://127.0.0.1:6379/1.",
            id="accounts.E001",
        )
    ]
