"""Autopay: a resident saves a card or US bank account with Stripe and agrees, in words stored exactly as they were
shown, to have their rent charged to it on each due date. They may turn it off at any time.

Setting up: ``autopay_setup_start`` records the consent (committed), then asks Stripe for a Checkout Session in
setup mode on the resident's Stripe customer. When Stripe reports the session completed (``checkout.session.completed``
with ``mode=setup``, handed here by the webhook's checkout handler), the saved payment method is fetched from Stripe
(its SetupIntent, then the PaymentMethod for a label such as "Visa ending 4242") and autopay is turned on. Stripe is
never called inside the event's transaction: the webhook's look-up step fetches both before it opens
(``autopay_setup_look_up``), or, when it did not, a task fetches them after commit (``autopay_setup_finish``). The
page the resident comes back to calls that too, so autopay is on as soon as either Stripe or the resident is back.
A bank account verified later (micro-deposits) turns autopay on with ``setup_intent.succeeded``.

Charging, failures and retries: ``billing.services.autopay_charges``.
"""

import logging

import stripe
from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_noop

from accounts.exceptions import DomainError, NotFound
from accounts.models import Membership
from accounts.money import money_words
from accounts.queue import enqueue_on_commit
from residents.models import Resident

from ..models import Autopay, OnlinePayment, RentPeriod, RentSchedule, StripeCustomer
from ..selectors.online import amount_limits
from .ledger import billing_stay
from .online_checkout import PaymentServiceUnavailable, _customer_id, resident_of
from .stripe_events import Outcome, StripeEventProblem, stripe_event_owner_check
from .stripe_setup import account_options, online_payment_configured, stripe_client

logger = logging.getLogger("billing.autopay")

Status = Autopay.Status
# Stripe's custom retry schedule for failed recurring payments: again 3, 5 and 7 days after each failure, so four
# tries within about two weeks (Stripe's recommended window), then the resident pays another way.
RETRY_AFTER_DAYS = (3, 5, 7)
MAX_ATTEMPTS = 1 + len(RETRY_AFTER_DAYS)
RETURN_PATH = "/portal/pay/autopay/return/?session_id={CHECKOUT_SESSION_ID}"
CANCEL_PATH = "/portal/pay/autopay/"
SETUP_UNAVAILABLE = gettext_noop(
    "The payment service could not start saving your payment method, so autopay is not on. Try again in a few "
    "minutes, or pay your house manager by cash, check or money order."
)
CARD_BRANDS = {
    "amex": "American Express",
    "diners": "Diners Club",
    "discover": "Discover",
    "jcb": "JCB",
    "mastercard": "Mastercard",
    "unionpay": "UnionPay",
    "visa": "Visa",
}
WEEKDAYS = [gettext_noop(day) for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")]


def _ordinal(day: int) -> str:
    """The day of the month as the active language says it after "due on the": "1st" in English, "1" elsewhere."""
    if not (get_language() or "en").startswith("en"):
        return str(day)
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _rent_words(resident: Resident) -> str:
    """The resident's current rent in words ("$850.00 a month, due on the 1st"), or "" without a schedule."""
    stay = resident.stays.filter(move_out__isnull=True).first()
    schedule = RentSchedule.objects.filter(stay=stay).order_by("-starts_on", "-pk").first() if stay else None
    if schedule is None:
        return ""
    amount = money_words(schedule.amount, resident.organization.currency)
    if schedule.period == RentPeriod.MONTHLY and schedule.due_day:
        return gettext("%(amount)s a month, due on the %(day)s") % {"amount": amount, "day": _ordinal(schedule.due_day)}
    weekly = schedule.period == RentPeriod.WEEKLY
    if schedule.due_weekday is not None:
        words = {"amount": amount, "weekday": gettext(WEEKDAYS[schedule.due_weekday])}
        if weekly:
            return gettext("%(amount)s every week, due on %(weekday)s") % words
        return gettext("%(amount)s every two weeks, due on %(weekday)s") % words
    if weekly:
        return gettext("%(amount)s every week") % {"amount": amount}
    return gettext("%(amount)s every two weeks") % {"amount": amount}


def autopay_consent_text(*, resident: Resident) -> str:
    """What the resident agrees to, word for word, in the language they read it in (the request's): stored with the
    time they agreed when they start the setup."""
    organization = resident.organization
    _minimum, maximum = amount_limits()
    rent = _rent_words(resident)
    now = gettext(" (your rent is now %(rent)s)") % {"rent": rent} if rent else ""
    return gettext(
        "I authorize %(organization)s to charge the card or bank account I save with Stripe on each day my rent is "
        "due, for the part of that day's rent still unpaid%(now)s, never more than %(maximum)s at a time. If a charge "
        "fails, it may be tried again up to %(times)s times over the next %(days)s days, and I will be e-mailed each "
        "time. I can turn autopay off at any time in the resident portal; a charge already on its way is not stopped."
    ) % {
        "organization": organization.name,
        "now": now,
        "maximum": money_words(maximum, organization.currency),
        "times": len(RETRY_AFTER_DAYS),
        "days": sum(RETRY_AFTER_DAYS),
    }


def autopay_of(resident: Resident) -> Autopay | None:
    return Autopay.objects.filter(resident=resident).first()


def autopay_available(resident: Resident) -> bool:
    """Whether the resident's organization takes online payments now (Stripe set up, its account connected)."""
    if not online_payment_configured():
        return False
    try:
        account_options(resident.organization)
    except DomainError:
        return False
    return True


def _metadata(autopay: Autopay) -> dict[str, str]:
    return {
        "organization_id": str(autopay.organization_id),
        "resident_id": str(autopay.resident_id),
        "autopay_id": str(autopay.pk),
    }


@transaction.atomic
def _record_consent(resident: Resident, text: str) -> Autopay:
    try:
        with transaction.atomic():
            autopay, _ = Autopay.objects.select_for_update().get_or_create(
                resident=resident, defaults={"organization_id": resident.organization_id}
            )
    except IntegrityError:  # created at the same moment by another tab: use that one
        autopay = Autopay.objects.select_for_update().get(resident=resident)
    now = timezone.now()
    autopay.consent_text = text
    autopay.consented_at = now
    if autopay.status == Status.OFF:
        autopay.status = Status.SETTING_UP
    autopay.updated_at = now
    autopay.save()
    return autopay


def autopay_setup_start(*, viewer: Membership, consent, base_url: str, consent_text: str | None = None) -> tuple:
    """Starts saving a payment method for autopay: records the resident's consent (``consent`` must be True; when
    ``consent_text`` is given it must be the current terms, the words the resident was shown), then opens a Stripe
    Checkout in setup mode. Returns the Checkout address and the session id. Autopay is turned on when Stripe reports
    the session completed; while autopay is on, the old payment method is charged until the new one is saved.

    Raises 403 for staff, 503 when online payment is not set up, a ``DomainError`` naming ``consent`` without
    consent (nothing written), and 502 when Stripe fails. Calls Stripe: not inside a database transaction."""
    resident = resident_of(viewer)
    client = stripe_client()
    options = account_options(resident.organization)
    base_url = base_url.rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise ValueError("base_url must be the site's http(s) address.")
    if consent is not True:
        raise DomainError(gettext("Tick the box to agree to autopay before saving a payment method."), field="consent")
    text = autopay_consent_text(resident=resident)
    if consent_text is not None and " ".join(str(consent_text).split()) != text:
        raise DomainError(gettext("The autopay terms have changed: read them again and agree."), field="consent_text")
    stay = billing_stay(resident)
    autopay = _record_consent(resident, text)
    currency = resident.organization.currency.lower()
    metadata = _metadata(autopay)
    params = {
        "mode": "setup",
        "customer": "",
        "currency": currency,
        # US bank debits exist only in US dollars. (This API version names the filter allowed_payment_method_types.)
        "allowed_payment_method_types": ["card", "us_bank_account"] if currency == "usd" else ["card"],
        "client_reference_id": f"autopay-{autopay.pk}",
        "metadata": metadata,
        "setup_intent_data": {"metadata": metadata, "description": f"Autopay of rent at {stay.house.name}"},
        "success_url": base_url + RETURN_PATH,
        "cancel_url": base_url + CANCEL_PATH,
    }
    try:
        params["customer"] = _customer_id(client, resident, account_id=options.get("stripe_account", ""))
        session = client.v1.checkout.sessions.create(
            params=params,
            options={
                "idempotency_key": f"hearth-autopay-setup-{autopay.pk}-{autopay.consented_at:%Y%m%d%H%M%S%f}",
                **options,
            },
        )
    except stripe.StripeError as error:
        logger.warning("Autopay setup of resident %s: Stripe refused: %s", resident.pk, error)
        raise PaymentServiceUnavailable(gettext(SETUP_UNAVAILABLE)) from error
    Autopay.objects.filter(pk=autopay.pk).update(setup_session_id=session.id, updated_at=timezone.now())
    return session.url, session.id


# Completing the setup


def _plain(obj) -> dict:
    """A Stripe object as a plain dict (the library's objects are not dicts)."""
    return obj.to_dict() if hasattr(obj, "to_dict") else obj


def _id_of(value) -> str | None:
    value = _plain(value)
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def payment_method_label(method) -> str:
    """How the resident and staff see a saved payment method: "Visa ending 4242", "Bank account ending 6789"."""
    kind = method.get("type")
    if kind == "card":
        card = method.get("card") or {}
        brand = CARD_BRANDS.get(card.get("brand") or "", (card.get("brand") or "Card").title())
        return f"{brand} ending {card.get('last4') or '????'}"[:100]
    if kind == "us_bank_account":
        bank = method.get("us_bank_account") or {}
        name = f" ({bank['bank_name']})" if bank.get("bank_name") else ""
        return f"Bank account ending {bank.get('last4') or '????'}{name}"[:100]
    return str(kind or "Payment method").replace("_", " ").capitalize()[:100]


@transaction.atomic
def _turn_on(*, autopay_id: int, session_id: str, method_id: str, label: str) -> bool:
    autopay = Autopay.objects.select_for_update().get(pk=autopay_id)
    if autopay.status == Status.OFF or autopay.setup_session_id != session_id:
        return False  # turned off meanwhile, or a newer setup started: that one counts
    changed = (autopay.status, autopay.payment_method_id) != (Status.ON, method_id)
    autopay.status = Status.ON
    autopay.payment_method_id = method_id
    autopay.payment_method_label = label
    autopay.updated_at = timezone.now()
    autopay.save()
    return changed


def _fetch_method(client, options: dict, setup_intent_id: str) -> tuple | None:
    """The SetupIntent and the PaymentMethod it saved, or None while it has not succeeded (a bank account still
    being verified)."""
    intent = _plain(client.v1.setup_intents.retrieve(setup_intent_id, options=options))
    method_id = _id_of(intent.get("payment_method"))
    if intent.get("status") != "succeeded" or method_id is None:
        return None
    return intent, _plain(client.v1.payment_methods.retrieve(method_id, options=options))


def _apply_method(autopay: Autopay, *, session_id: str, intent, method) -> bool:
    customer = StripeCustomer.objects.filter(resident_id=autopay.resident_id).values_list("customer_id", flat=True)
    if customer and _id_of(intent.get("customer")) not in (None, customer[0]):
        logger.error("Setup intent %s is not of autopay %s's customer", intent.get("id"), autopay.pk)
        return False
    return _turn_on(
        autopay_id=autopay.pk, session_id=session_id, method_id=method["id"], label=payment_method_label(method)
    )


def autopay_setup_finish(*, autopay_id: int, session_id: str, setup_intent_id: str | None = None) -> bool:
    """Learns the payment method a completed setup session saved (from its SetupIntent) and turns autopay on with
    it. Without ``setup_intent_id`` the session is fetched first. Returns whether anything changed; a session that is
    not the autopay's latest or not complete, or a SetupIntent that has not succeeded, changes nothing. Calls
    Stripe: not inside a database transaction."""
    autopay = Autopay.objects.select_related("organization").filter(pk=autopay_id).first()
    if autopay is None or autopay.status == Status.OFF or autopay.setup_session_id != session_id:
        return False
    client = stripe_client()
    options = account_options(autopay.organization)
    if setup_intent_id is None:
        session = _plain(client.v1.checkout.sessions.retrieve(session_id, options=options))
        setup_intent_id = _id_of(session.get("setup_intent"))
        if session.get("status") != "complete" or setup_intent_id is None:
            return False
    fetched = _fetch_method(client, options, setup_intent_id)
    if fetched is None:
        return False
    return _apply_method(autopay, session_id=session_id, intent=fetched[0], method=fetched[1])


@shared_task(autoretry_for=(stripe.APIConnectionError, stripe.APIError), retry_backoff=30, max_retries=5)
def autopay_setup_finish_task(autopay_id: int, session_id: str, setup_intent_id: str | None = None) -> bool:
    return autopay_setup_finish(autopay_id=autopay_id, session_id=session_id, setup_intent_id=setup_intent_id)


def autopay_setup_return(*, viewer: Membership, session_id: str) -> Autopay | None:
    """The resident is back from Stripe's setup page: completes the setup now if the webhook has not yet (Stripe
    may be slower than the resident). Returns the resident's autopay. A Stripe failure is left to the webhook."""
    resident = resident_of(viewer)
    autopay = autopay_of(resident)
    if autopay is not None and session_id and autopay.setup_session_id == session_id and autopay.status != Status.OFF:
        try:
            autopay_setup_finish(autopay_id=autopay.pk, session_id=session_id)
        except (stripe.StripeError, DomainError) as error:
            logger.warning("Autopay %s: could not confirm the setup on return: %s", autopay.pk, error)
        autopay.refresh_from_db()
    return autopay


def _autopay_for_session(session: dict) -> Autopay | None:
    metadata = session.get("metadata") or {}
    pk, organization = str(metadata.get("autopay_id", "")), str(metadata.get("organization_id", ""))
    if pk.isdigit() and organization.isdigit() and len(pk) <= 18 and len(organization) <= 18:
        found = Autopay.objects.filter(pk=int(pk), organization_id=int(organization)).first()
        if found is not None:
            return found
    session_id = session.get("id")
    return Autopay.objects.filter(setup_session_id=session_id).first() if isinstance(session_id, str) else None


def autopay_setup_look_up(*, session: dict, account: str = "") -> dict | None:
    """Before the event's transaction (the webhook's look-up step): the SetupIntent and PaymentMethod a completed
    setup session saved, for ``autopay_setup_event``; None when there is nothing to fetch."""
    autopay = _autopay_for_session(session)
    setup_intent = _id_of(session.get("setup_intent"))
    if autopay is None or autopay.status == Status.OFF or autopay.setup_session_id != session.get("id"):
        return None
    if setup_intent is None or not online_payment_configured():
        return None
    fetched = _fetch_method(stripe_client(), {"stripe_account": account} if account else {}, setup_intent)
    return {"setup_intent": fetched[0], "payment_method": fetched[1]} if fetched else None


def autopay_setup_event(*, session: dict, row) -> Outcome:
    """A ``checkout.session.*`` event about a setup-mode session (called by the webhook's checkout handler, inside
    the event's transaction). Completed: autopay is turned on with the payment method the look-up step fetched;
    without one, it is fetched right after commit (Stripe is never called inside the transaction)."""
    from ..models import StripeEvent

    autopay = _autopay_for_session(session)
    if autopay is None:
        return Outcome(StripeEvent.Status.IGNORED, "No autopay of Hearth matches this setup session.")
    stripe_event_owner_check(row, organization_id=autopay.organization_id, since=autopay.created_at)
    row.organization_id = autopay.organization_id
    if row.type != "checkout.session.completed":
        return Outcome(StripeEvent.Status.HANDLED, "The resident left the autopay setup unfinished: nothing changes.")
    if session.get("id") != autopay.setup_session_id:
        return Outcome(StripeEvent.Status.IGNORED, "An earlier autopay setup of this resident: the latest one counts.")
    setup_intent = _id_of(session.get("setup_intent"))
    if setup_intent is None:
        raise StripeEventProblem("A completed setup session without a setup intent.")
    fetched = getattr(row, "fetched", None) or {}
    if fetched.get("setup_intent") and fetched.get("payment_method"):
        _apply_method(
            autopay, session_id=session["id"], intent=fetched["setup_intent"], method=fetched["payment_method"]
        )
        autopay.refresh_from_db()
        if autopay.status != Status.ON:
            return Outcome(StripeEvent.Status.IGNORED, "The saved payment method is not of this resident's customer.")
        return Outcome(StripeEvent.Status.HANDLED, f"Autopay on: {autopay.payment_method_label}.")
    autopay_id, session_id = autopay.pk, session["id"]
    enqueue_on_commit(
        autopay_setup_finish_task, autopay_id=autopay_id, session_id=session_id, setup_intent_id=setup_intent
    )
    return Outcome(StripeEvent.Status.HANDLED, "Autopay set up: its payment method is fetched from Stripe next.")


def autopay_setup_intent_event(*, setup_intent: dict, row) -> Outcome:
    """``setup_intent.succeeded`` of an autopay setup: a bank account verified by micro-deposits after its setup
    session completed. Autopay still being set up is turned on with it, the payment method fetched after commit."""
    from ..models import StripeEvent

    autopay = _autopay_for_session({"metadata": setup_intent.get("metadata")})
    if autopay is None:
        return Outcome(StripeEvent.Status.IGNORED, "No autopay of Hearth matches this setup intent.")
    stripe_event_owner_check(row, organization_id=autopay.organization_id, since=autopay.created_at)
    row.organization_id = autopay.organization_id
    if autopay.status != Status.SETTING_UP or not autopay.setup_session_id:
        return Outcome(StripeEvent.Status.HANDLED, "Nothing to change: autopay is not waiting for a payment method.")
    autopay_id, session_id, intent_id = autopay.pk, autopay.setup_session_id, str(setup_intent.get("id") or "")
    enqueue_on_commit(
        autopay_setup_finish_task, autopay_id=autopay_id, session_id=session_id, setup_intent_id=intent_id
    )
    return Outcome(StripeEvent.Status.HANDLED, "Autopay's bank account is verified: its details are fetched next.")


# Turning off


@transaction.atomic
def autopay_turn_off(*, viewer: Membership) -> Autopay:
    """The resident turns autopay off: no charge is started from now on, and retries of failed charges stop. A bank
    debit already on its way cannot be called back and completes (or fails) as Stripe reports. Turning off an
    autopay that is off changes nothing."""
    resident = resident_of(viewer)
    autopay = Autopay.objects.select_for_update().filter(resident=resident).first()
    if autopay is None:
        raise NotFound(gettext("You have no autopay to turn off."))
    now = timezone.now()
    if autopay.status != Status.OFF:
        autopay.status = Status.OFF
        autopay.turned_off_at = now
        autopay.updated_at = now
        autopay.save()
    waiting = OnlinePayment.objects.filter(resident=resident, source=OnlinePayment.Source.AUTOPAY)
    waiting.filter(status=OnlinePayment.Status.FAILED, next_attempt_at__isnull=False).update(
        next_attempt_at=None, failure_message="Not tried again: autopay was turned off.", updated_at=now
    )
    waiting.filter(status=OnlinePayment.Status.CREATED, attempts=0).update(
        status=OnlinePayment.Status.FAILED, failure_message="Not charged: autopay was turned off.", updated_at=now
    )
    return autopay


def portal_url(name: str = "portal-pay") -> str:
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse(name)
