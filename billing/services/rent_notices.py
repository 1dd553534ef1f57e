"""Rent reminders and receipts, e-mailed to residents, each one once.

The daily job ``rent_notices_send(on=..., organization=...)`` runs for each organization on its own clock, after the
rent and late-fee jobs, and e-mails:

- ``rent_upcoming``: rent due in exactly N days, N being the house's ``rent_reminder_days`` (0: none), for the amount
  the rent job will post that day (the stay's schedules, prorated as the job prorates), unless the resident's credit
  and payments on their way already cover it;
- ``rent_due``: a rent charge posted today that is still open;
- ``rent_late``: a rent charge whose late date (``late_fees``: the day after the grace days) fell within the last
  ``LOOKBACK_DAYS`` and that is still open, so a job that missed a day still says it once.

"Open" counts a payment on its way (a pending bank debit) as paid, as the late-fee job does: a resident whose rent is
paid or on its way is not reminded. Reminders go to residents living in a house with rent terms, with an e-mail
address (their own, else their portal login's), who have not opted out (``ReminderOptOut``, from the portal).

``receipt_send(online_payment_id=...)`` e-mails the receipt of an online payment once its money arrived (called when
the settlement is committed). Receipts go to residents who opted out of reminders too: they are records of money
paid.

Each notice is recorded (``ResidentNotice``) before it is sent, under a unique constraint per kind and charge (or
online payment), so it goes out once however often the job runs or an event is redelivered; a send that fails
removes its record, so the next run tries again. An upcoming reminder has no charge yet to be unique with: the job
locks the residents' rows and sends one only when none went to that resident in the last few days (fewer than a
rent period), which is once per due date.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization
from accounts.money import money_words
from accounts.tenancy import organization_clock
from residents.models import Resident, Stay

from ..models import (
    EntryKind,
    HouseBillingPolicy,
    LateFeeKind,
    LedgerEntry,
    OnlinePayment,
    Payment,
    ReminderOptOut,
    RentSchedule,
    ResidentNotice,
)
from .late_fees import LOOKBACK_DAYS, last_grace_day, late_date, late_fee_amount, open_after_pending
from .periods import prorate
from .rent import _due_periods

logger = logging.getLogger("billing.notices")

Kind = ResidentNotice.Kind
ZERO = Decimal("0.00")
# An upcoming reminder counts as already sent when one went out this many days back at most (see the docstring):
# fewer than the shortest rent period (a week), so next week's reminder is never mistaken for this one.
UPCOMING_REPEAT_DAYS = 6
SUBJECTS = {
    Kind.RENT_UPCOMING: gettext_lazy("Your rent of %(amount)s is due on %(due)s"),
    Kind.RENT_DUE: gettext_lazy("Your rent of %(amount)s is due today"),
    Kind.RENT_LATE: gettext_lazy("Your rent due %(due)s is now late"),
    Kind.RECEIPT: gettext_lazy("Receipt for your payment of %(amount)s"),
}

# How an online payment was made, inside the receipt's sentence ("... by card on ...").
METHOD_WORDS = {
    Payment.Method.CARD: gettext_lazy("card"),
    Payment.Method.BANK_DEBIT: gettext_lazy("bank debit"),
}


@dataclass
class Draft:
    """A notice to record and send."""

    resident: Resident
    kind: str
    email: str
    context: dict = field(default_factory=dict)
    charge: LedgerEntry | None = None


def address_of(resident: Resident) -> str:
    """Where a resident's e-mail goes: their own address, else their portal login's; empty when they have neither."""
    if resident.email:
        return resident.email
    membership = resident.membership
    return membership.user.email if membership is not None and membership.user.email else ""


def _link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _upcoming_rent(stay: Stay, schedules: list[RentSchedule], due_on: date) -> Decimal:
    """What the rent job will charge the stay on ``due_on``: its own walk over the periods, so the reminder names the
    amount that will be posted (prorated at move-out or where a new schedule starts)."""
    total = ZERO
    for schedule, start, end, billed_from, billed_to, _key in _due_periods(stay, schedules, due_on):
        if billed_from == due_on:
            total += prorate(schedule.amount, (billed_to - billed_from).days, (end - start).days)
    return total


def _late_words(policy: HouseBillingPolicy, currency: str) -> str:
    if policy.late_fee_kind == LateFeeKind.NONE:
        return ""
    if policy.late_fee_kind == LateFeeKind.FLAT:
        return _("a late fee of %(amount)s") % {"amount": money_words(policy.late_fee_amount, currency)}
    return _("a late fee of %(percent)s%% of what is unpaid") % {"percent": f"{policy.late_fee_percent.normalize():f}"}


def _base(resident: Resident, organization: Organization, *, reminder: bool) -> dict:
    return {
        "name": resident.preferred_name or resident.legal_first_name,
        "organization": organization.name,
        "portal_link": _link("portal-pay"),
        "opt_out_link": _link("portal-reminders") if reminder else "",
    }


def _drafts(organization: Organization, on: date) -> list[Draft]:
    """Every reminder due on ``on`` in the organization, read with a fixed number of queries."""
    policies = {policy.house_id: policy for policy in HouseBillingPolicy.objects.filter(organization=organization)}
    stays = [
        stay
        for stay in Stay.objects.filter(organization=organization, house_id__in=list(policies), move_in__lte=on)
        .filter(Q(move_out__isnull=True) | Q(move_out__gt=on))
        .exclude(resident__in=ReminderOptOut.objects.filter(organization=organization).values("resident"))
        .select_related("resident__membership__user")
        .prefetch_related(Prefetch("rent_schedules", queryset=RentSchedule.objects.order_by("starts_on")))
        .order_by("pk")
        if address_of(stay.resident)
    ]
    if not stays:
        return []
    return _charge_drafts(organization, stays, policies, on) + _upcoming_drafts(organization, stays, policies, on)


def _charge_drafts(organization: Organization, stays: list[Stay], policies: dict, on: date) -> list[Draft]:
    """Rent posted today, and rent that turned late lately, still open."""
    by_resident = {stay.resident_id: stay for stay in stays}
    drafts = []
    longest_grace = max(policy.late_fee_grace_days for policy in policies.values())
    charges = list(
        LedgerEntry.objects.live()
        .filter(
            stay_id__in=[stay.pk for stay in stays],
            kind=EntryKind.RENT,
            effective_on__lte=on,
            effective_on__gt=on - timedelta(days=longest_grace + 1 + LOOKBACK_DAYS),
        )
        .order_by("pk")
    )
    due = [charge for charge in charges if charge.effective_on == on]
    late = [
        charge
        for charge in charges
        if charge.house_id in policies
        and on - timedelta(days=LOOKBACK_DAYS) < late_date(charge, policies[charge.house_id].late_fee_grace_days) <= on
    ]
    open_due = open_after_pending(due, on=on)
    open_late = open_after_pending(
        late, on=on, started_by=lambda c: last_grace_day(c, policies[c.house_id].late_fee_grace_days)
    )
    for kind, picked, opens in ((Kind.RENT_DUE, due, open_due), (Kind.RENT_LATE, late, open_late)):
        for charge in picked:
            unpaid = opens.get(charge.pk, ZERO)
            if unpaid <= 0:
                continue
            stay = by_resident[charge.resident_id]
            policy = policies.get(charge.house_id) or policies[stay.house_id]  # posted before a transfer
            with translation.override(language_of(stay.resident)):  # money and words in the resident's language
                context = _charge_context(stay, organization, charge, policy, unpaid)
            drafts.append(Draft(stay.resident, kind, address_of(stay.resident), context, charge))
    return drafts


def _charge_context(stay, organization, charge, policy, unpaid) -> dict:
    currency = organization.currency
    return _base(stay.resident, organization, reminder=True) | {
        "amount": money_words(charge.amount, currency),
        "unpaid": money_words(unpaid, currency),
        "partly_paid": unpaid < charge.amount,
        "due": charge.effective_on,
        "last_grace_day": last_grace_day(charge, policy.late_fee_grace_days),
        "late_fee": _late_words(policy, currency),
        "late_fee_amount": money_words(late_fee_amount(policy, unpaid), currency)
        if policy.late_fee_kind != LateFeeKind.NONE
        else "",
    }


def _upcoming_drafts(organization: Organization, stays: list[Stay], policies: dict, on: date) -> list[Draft]:
    """Rent the job will post in N days, unless credit and payments on the way cover it."""
    currency = organization.currency
    by_resident = {stay.resident_id: stay for stay in stays}
    drafts = []
    balances = dict(
        LedgerEntry.objects.filter(resident_id__in=list(by_resident), effective_on__lte=on)
        .order_by()
        .values("resident_id")
        .annotate(total=Sum("amount"))
        .values_list("resident_id", "total")
    )
    on_the_way = dict(
        Payment.objects.filter(resident_id__in=list(by_resident), status=Payment.Status.PENDING)
        .order_by()
        .values("resident_id")
        .annotate(total=Sum("amount"))
        .values_list("resident_id", "total")
    )
    for stay in stays:
        policy = policies[stay.house_id]
        if not policy.rent_reminder_days:
            continue
        due_on = on + timedelta(days=policy.rent_reminder_days)
        amount = _upcoming_rent(stay, list(stay.rent_schedules.all()), due_on)
        if amount <= 0:
            continue
        owed = (balances.get(stay.resident_id) or ZERO) - (on_the_way.get(stay.resident_id) or ZERO)
        if owed + amount <= 0:
            continue  # paid ahead: their credit and payments on the way cover it
        with translation.override(language_of(stay.resident)):  # money and words in the resident's language
            context = _base(stay.resident, organization, reminder=True) | {
                "amount": money_words(amount, currency),
                "due": due_on,
                "owed_before": money_words(owed, currency) if owed > 0 else "",
                "last_grace_day": due_on + timedelta(days=policy.late_fee_grace_days),
                "late_fee": _late_words(policy, currency),
            }
        drafts.append(Draft(stay.resident, Kind.RENT_UPCOMING, address_of(stay.resident), context))
    return drafts


def _local_midnight(organization: Organization, day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), organization.tzinfo)


@transaction.atomic
def _claim(organization: Organization, drafts: list[Draft], on: date) -> list[tuple[ResidentNotice, Draft]]:
    """Records the drafts not sent before and returns them with their rows; the rest are dropped."""
    resident_ids = sorted({draft.resident.pk for draft in drafts})
    # Two runs at once take turns per resident, so the second sees what the first recorded (upcoming reminders have
    # no unique constraint to fall back on).
    list(Resident.objects.select_for_update().filter(pk__in=resident_ids).order_by("pk").values_list("pk", flat=True))
    charge_ids = [draft.charge.pk for draft in drafts if draft.charge is not None]
    sent = set(ResidentNotice.objects.filter(charge_id__in=charge_ids).values_list("kind", "charge_id"))
    since = _local_midnight(organization, on - timedelta(days=UPCOMING_REPEAT_DAYS - 1))
    recent = defaultdict(list)
    for resident_id, sent_at in ResidentNotice.objects.filter(
        resident_id__in=resident_ids, kind=Kind.RENT_UPCOMING, sent_at__gte=since
    ).values_list("resident_id", "sent_at"):
        recent[resident_id].append(timezone.localdate(sent_at, timezone=organization.tzinfo))
    claimed = []
    now = timezone.now()
    for draft in drafts:
        if draft.charge is not None:
            if (draft.kind, draft.charge.pk) in sent:
                continue
        else:
            window = max(1, min(draft.context["due"].toordinal() - on.toordinal(), UPCOMING_REPEAT_DAYS))
            if any(day > on - timedelta(days=window) for day in recent[draft.resident.pk]):
                continue
        notice = ResidentNotice(
            organization=organization,
            resident=draft.resident,
            kind=draft.kind,
            charge=draft.charge,
            email=draft.email,
            sent_at=now,
        )
        claimed.append((notice, draft))
    ResidentNotice.objects.bulk_create([notice for notice, _draft in claimed])
    return claimed


def language_of(resident: Resident) -> str:
    """The language a resident reads their e-mails and PDFs in (English unless they chose another)."""
    return resident.preferred_language or settings.LANGUAGE_CODE


def _message(kind: str, context: dict, email: str, connection, *, language: str) -> EmailMessage:
    """The e-mail in the resident's ``language``: subject, body, dates and money."""
    with translation.override(language):
        words = {
            "amount": context.get("amount", ""),
            "due": date_format(context["due"], _("F j")) if "due" in context else "",
        }
        subject = _("%(organization)s: %(subject)s") % {
            "organization": context["organization"],
            "subject": SUBJECTS[kind] % words,
        }
        body = render_to_string(f"billing/emails/{kind}.txt", context)
    return EmailMessage(subject=subject, body=body, to=[email], connection=connection)


def _send_all(claimed: list[tuple[ResidentNotice, Draft]]) -> list[ResidentNotice]:
    """Sends each claimed notice over one connection; a notice that could not be sent is forgotten, to be retried."""
    sent = []
    connection = get_connection()
    for notice, draft in claimed:
        try:
            _message(notice.kind, draft.context, notice.email, connection, language=language_of(draft.resident)).send()
        except Exception:  # one bad address must not stop the others
            logger.exception("Resident notice %s (%s) could not be sent", notice.pk, notice.kind)
            ResidentNotice.objects.filter(pk=notice.pk).delete()
            continue
        sent.append(notice)
    return sent


def rent_notices_send(*, on: date, organization: Organization) -> list[ResidentNotice]:
    """The daily reminders of one organization for its day ``on`` (see the module docstring). Idempotent: a second
    run the same day sends nothing. Returns the notices sent."""
    with organization_clock(organization):
        drafts = _drafts(organization, on)
        if not drafts:
            return []
        return _send_all(_claim(organization, drafts, on))


def receipt_send(*, online_payment_id: int) -> ResidentNotice | None:
    """E-mails the receipt of a settled online payment, once (see the module docstring). Returns the notice sent,
    or None when there was nothing to send (not settled, no address, already sent)."""
    op = OnlinePayment.objects.select_related("organization", "resident__membership__user", "payment").get(
        pk=online_payment_id
    )
    if op.status not in OnlinePayment.SETTLED or op.payment is None:
        return None
    email = address_of(op.resident)
    if not email:
        return None
    organization = op.organization
    try:
        with transaction.atomic():
            notice = ResidentNotice.objects.create(
                organization=organization,
                resident=op.resident,
                kind=Kind.RECEIPT,
                online_payment=op,
                attempt=0,
                email=email,
            )
    except IntegrityError:
        return None  # sent already (a redelivered event, or two at once)
    payment = op.payment
    balance = LedgerEntry.objects.filter(resident_id=op.resident_id).aggregate(total=Sum("amount"))["total"] or ZERO
    with translation.override(language_of(op.resident)):  # money and the method in the resident's language
        context = _base(op.resident, organization, reminder=False) | {
            "amount": money_words(op.amount, organization.currency),
            "received_on": payment.received_on,
            "method": METHOD_WORDS.get(payment.method) or payment.get_method_display().split(" (")[0].lower(),
            "receipt_number": payment.receipt_number,
            "receipt_link": _link("billing-receipt", payment.pk),
            "balance": money_words(abs(balance), organization.currency),
            "in_credit": balance < 0,
            "owes": balance > 0,
        }
        context["method"] = str(context["method"])
    with organization_clock(organization):
        sent = _send_all([(notice, Draft(op.resident, Kind.RECEIPT, email, context))])
    return sent[0] if sent else None


@transaction.atomic
def reminders_set(*, resident: Resident, wanted: bool) -> bool:
    """Turns a resident's rent reminders on or off (receipts always go). Returns whether anything changed."""
    # The resident's row serializes two taps of the toggle.
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if wanted:
        return ReminderOptOut.objects.filter(resident=resident).delete()[0] > 0
    _opt_out, created = ReminderOptOut.objects.get_or_create(
        resident=resident, defaults={"organization_id": resident.organization_id}
    )
    return created


# Queued by the online payment services once a settlement is committed; beside its service, named as before.
@shared_task(name="billing.tasks.send_receipt")
def send_receipt(online_payment_id: int) -> bool:
    """E-mails the receipt of a settled online payment, once. Returns whether it was sent now."""
    return receipt_send(online_payment_id=online_payment_id) is not None
