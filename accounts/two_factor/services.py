"""Two-factor rules: who must use it, setting it up, checking a code, recovery codes, turning it off."""

import logging
import math
import re
from base64 import b32encode
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..exceptions import DomainError, Invalid, NotAllowed
from ..models import Membership, Role, User

logger = logging.getLogger("hearth.security")

RECOVERY_CODE_COUNT = 10
STAFF_ROLES = (Role.OPERATOR, Role.MANAGER)
# Set at sign-in (and kept current by this session's own changes): whether this session must still pass a code.
# Kept in the session so a page costs no query to know it.
SESSION_KEY = "two_factor_enrolled"
SIX_DIGITS = re.compile(r"\d{6}")

SETUP_REQUIRED_MESSAGE = gettext_lazy(
    "Your organization requires two-factor sign-in for operators and managers. Set up an authenticator app on "
    "the website (Account security) first, then sign in again."
)


class WrongCode(Invalid):
    def __init__(self, message=None):
        super().__init__(
            message
            or _(
                "That code is not right. Enter the six-digit code your authenticator app shows now, "
                "or one of your recovery codes."
            )
        )


class TooManyWrongCodes(DomainError):
    status_code = 429

    def __init__(self, locked_until: datetime):
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
        if seconds < 120:
            message = ngettext(
                "Too many wrong codes. Wait a second before trying again.",
                "Too many wrong codes. Wait %(count)s seconds before trying again.",
                seconds,
            )
            count = seconds
        else:
            count = math.ceil(seconds / 60)
            message = ngettext(
                "Too many wrong codes. Wait %(count)s minute before trying again.",
                "Too many wrong codes. Wait %(count)s minutes before trying again.",
                count,
            )
        super().__init__(message % {"count": count})


def has_two_factor(user: User) -> bool:
    """Whether the user has a confirmed authenticator app (recovery codes alone do not count)."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def setup_required(user: User, viewer: Membership | None) -> bool:
    """Whether the membership a request acts as needs two-factor that the user has not set up: staff of an
    organization that requires it. Residents are never required to use it."""
    if not viewer or viewer.role not in STAFF_ROLES or not viewer.organization.require_staff_two_factor:
        return False
    return not has_two_factor(user)


def required_by_any_organization(user: User) -> bool:
    """Whether any organization the user works in as staff requires two-factor (an API token spans them all)."""
    return (
        Membership.objects.active()
        .filter(user_id=user.pk, role__in=STAFF_ROLES, organization__require_staff_two_factor=True)
        .exists()
    )


def session_pending(request) -> bool:
    """Whether this signed-in session has yet to pass a code (its user has an authenticator app)."""
    return bool(request.session.get(SESSION_KEY)) and not request.user.is_verified()


def secret_for_display(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def setup_start(*, user: User) -> TOTPDevice:
    """The authenticator app being set up, unconfirmed until a first code from it is checked. Reloading the page
    shows the same key, so an app that scanned it still matches."""
    if has_two_factor(user):
        raise DomainError(_("Two-factor sign-in is already on for this account."))
    device = setup_pending(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def setup_pending(user: User) -> TOTPDevice | None:
    """The authenticator app being set up, if one was started and not yet confirmed."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("pk").first()


def setup_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Turns two-factor on once the app shows a correct code; returns the device and new recovery codes."""
    device = setup_pending(user)
    if device is None:
        raise DomainError(
            _("This set-up has expired or was finished elsewhere. Open Account security and start again.")
        )
    _verify(TOTPDevice, user=user, code=_normalized(code), confirmed=False)
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        TOTPDevice.objects.filter(user_id=user.pk).exclude(pk=device.pk).delete()
        codes = _recovery_codes_create(user)
    device.refresh_from_db()
    return device, codes


def code_verify(*, user: User, code: str):
    """Checks a sign-in code: six digits from the authenticator app, or a recovery code (used up by this).

    A wrong code is counted on the device, and django-otp makes each next try wait twice as long as the last
    (1, 2, 4, 8... seconds), so guessing is hopeless; a right one resets the count. Returns the device that passed."""
    code = _normalized(code)
    if SIX_DIGITS.fullmatch(code):
        return _verify(TOTPDevice, user=user, code=code)
    return _verify(StaticDevice, user=user, code=code)


@transaction.atomic
def recovery_codes_regenerate(*, user: User, password_or_code: str) -> list[str]:
    """New recovery codes replace the old ones, which stop working. Asks for proof as turning two-factor off does:
    a session taken over must not be able to mint a lasting way past the second factor."""
    if not has_two_factor(user):
        raise DomainError(_("Turn on two-factor sign-in before making recovery codes."))
    _prove_it_is_them(user, password_or_code)
    return _recovery_codes_create(user)


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count()


def _prove_it_is_them(user: User, password_or_code: str) -> None:
    if password_or_code and user.check_password(password_or_code):
        return
    try:
        code_verify(user=user, code=password_or_code)
    except TooManyWrongCodes:
        raise
    except DomainError as error:
        raise WrongCode(_("That is neither your password nor a current code from your authenticator app.")) from error


def two_factor_disable(*, user: User, password_or_code: str) -> None:
    """Turns two-factor off for the user, after their password or a current code proves it is them."""
    _prove_it_is_them(user, password_or_code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=user.pk).delete()
        StaticDevice.objects.filter(user_id=user.pk).delete()
    logger.info("two-factor turned off for user %s", user.pk)


def token_login_check(*, user: User, otp: str) -> None:
    """The second factor of an API token login: a user with an authenticator app sends a code as ``otp``; staff
    whose organization requires two-factor but who have not set it up get no token until they do."""
    if has_two_factor(user):
        if not otp:
            raise DomainError(
                _(
                    "This account signs in with two-factor: send the six-digit code from your authenticator app "
                    "(or a recovery code) as otp."
                ),
                field="otp",
            )
        try:
            code_verify(user=user, code=otp)
        except DomainError as error:
            raise DomainError(error.message, field="otp", status_code=error.status_code) from error
    elif required_by_any_organization(user):
        raise NotAllowed(SETUP_REQUIRED_MESSAGE)


def _normalized(code: str) -> str:
    return "".join(str(code or "").split()).lower()


def _verify(model, *, user: User, code: str, confirmed: bool = True):
    # Its own transaction, committed even when the code is wrong: the failure must stay counted.
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user_id=user.pk, confirmed=confirmed).order_by("pk").first()
        if device is None:
            passed, locked_until = False, None
        else:
            allowed, details = device.verify_is_allowed()
            locked_until = None if allowed else details.get("locked_until")
            passed = allowed and device.verify_token(code)
    if passed:
        return device
    if locked_until is not None:
        raise TooManyWrongCodes(locked_until)
    logger.warning("wrong two-factor code for user %s", user.pk)
    raise WrongCode()


def _recovery_codes_create(user: User) -> list[str]:
    StaticDevice.objects.filter(user_id=user.pk).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
