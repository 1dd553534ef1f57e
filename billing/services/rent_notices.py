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
from typing import NamedTuple

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Sum
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
    ResidentNotice,
)
from ..selectors.balances import residents_owing
from .late_fees import LOOKBACK_DAYS, last_grace_day, late_date, late_fee_amount, open_after_pending
from .periods import prorate
from .rent import _due_periods, _schedules_of

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
    charge: "_Charge | None" = None  # the rent charge a reminder is about


def address_of(resident: Resident) -> str:
    """Where a resident's e-mail goes: their own address, else their portal login's; empty when they have neither."""
    if resident.email:
        return resident.email
    membership = resident.membership
    return membership.user.email if membership is not None and membership.user.email else ""


def _link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _upcoming_rent(stay, schedules: list, due_on: date) -> Decimal:
    """What the rent job will charge the stay on ``due_on``: its own walk over the periods (from ``due_on`` only), so
    the reminder names the amount that will be posted (prorated at move-out or where a new schedule starts)."""
    total = ZERO
    periods = _due_periods(stay, schedules, due_on, after=due_on - timedelta(days=1))
    for schedule, start, end, billed_from, billed_to, _key in periods:
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


class _Stay(NamedTuple):
    """A current stay, as the reminders read it before they know whom they write to."""

    pk: int
    resident_id: int
    house_id: int
    move_in: date
    move_out: date | None


def _drafts(organization: Organization, on: date) -> list[Draft]:
    """Every reminder due on ``on`` in the organization, read with a fixed number of queries. What was sent already
    and what is paid are set aside first, in the database, so a repeat run reads next to nothing; residents are read
    only for the reminders that remain (and kept only with an address)."""
    policies = {policy.house_id: policy for policy in HouseBillingPolicy.objects.filter(organization=organization)}
    current = (
        Stay.objects.filter(organization=organization, house_id__in=list(policies), move_in__lte=on)
        .filter(Q(move_out__isnull=True) | Q(move_out__gt=on))
        .exclude(resident__in=ReminderOptOut.objects.filter(organization=organization).values("resident"))
    )
    stays = [_Stay(*row) for row in current.order_by("pk").values_list(*_Stay._fields)]
    if not stays:
        return []
    # The stays go into the next queries as a subquery: thousands of ids would cost more to send than to select.
    charges = _charge_picks(current.values("pk"), policies, on)
    upcoming = _upcoming_picks(organization, stays, current.values("pk"), policies, on)
    wanted = {charge.resident_id for _kind, charge, _unpaid in charges} | {stay.resident_id for stay, *_ in upcoming}
    residents = Resident.objects.select_related("membership__user").in_bulk(wanted)
    addressed = {pk: resident for pk, resident in residents.items() if address_of(resident)}
    by_resident = {stay.resident_id: stay for stay in stays}
    drafts = []
    for kind, charge, unpaid in charges:
        resident = addressed.get(charge.resident_id)
        if resident is None:
            continue
        stay = by_resident[charge.resident_id]
        policy = policies.get(charge.house_id) or policies[stay.house_id]  # posted before a transfer
        with translation.override(language_of(resident)):  # money and words in the resident's language
            context = _charge_context(resident, organization, charge, policy, unpaid)
        drafts.append(Draft(resident, kind, address_of(resident), context, charge))
    currency = organization.currency
    for stay, due_on, amount, owed, policy in upcoming:
        resident = addressed.get(stay.resident_id)
        if resident is None:
            continue
        with translation.override(language_of(resident)):
            context = _base(resident, organization, reminder=True) | {
                "amount": money_words(amount, currency),
                "due": due_on,
                "owed_before": money_words(owed, currency) if owed > 0 else "",
                "last_grace_day": due_on + timedelta(days=policy.late_fee_grace_days),
                "late_fee": _late_words(policy, currency),
            }
        drafts.append(Draft(resident, Kind.RENT_UPCOMING, address_of(resident), context))
    return drafts


class _Charge(NamedTuple):
    """A rent charge a reminder may be about."""

    pk: int
    resident_id: int
    house_id: int
    effective_on: date
    amount: Decimal
    due_sent: bool
    late_sent: bool


def _charge_picks(stays, policies: dict, on: date) -> list[tuple[str, _Charge, Decimal]]:
    """Rent of ``stays`` (a query of ids) posted today, and rent that turned late lately, not reminded of yet and
    still open, as ``(kind, charge, unpaid)``."""
    graces = [policy.late_fee_grace_days for policy in policies.values()]
    noticed = ResidentNotice.objects.filter(charge=OuterRef("pk"))
    rows = (
        LedgerEntry.objects.live()
        .filter(
            stay_id__in=stays,
            kind=EntryKind.RENT,
            effective_on__lte=on,
            effective_on__gt=on - timedelta(days=max(graces) + 1 + LOOKBACK_DAYS),
        )
        .annotate(
            due_sent=Exists(noticed.filter(kind=Kind.RENT_DUE)), late_sent=Exists(noticed.filter(kind=Kind.RENT_LATE))
        )
        # Due today and not yet said, or late by now (past the shortest grace) and not yet said.
        .filter(
            Q(effective_on=on, due_sent=False)
            | Q(late_sent=False, effective_on__lte=on - timedelta(days=min(graces) + 1))
        )
        .order_by("pk")
        .values_list(*_Charge._fields)
    )
    charges = [_Charge(*row) for row in rows]
    due = [charge for charge in charges if charge.effective_on == on and not charge.due_sent]
    late = [
        charge
        for charge in charges
        if not charge.late_sent
        and charge.house_id in policies
        and on - timedelta(days=LOOKBACK_DAYS) < late_date(charge, policies[charge.house_id].late_fee_grace_days) <= on
    ]
    owing = residents_owing({charge.resident_id for charge in due + late}, on=on) if due or late else set()
    due = [charge for charge in due if charge.resident_id in owing]
    late = [charge for charge in late if charge.resident_id in owing]
    open_due = open_after_pending(due, on=on)
    open_late = open_after_pending(
        late, on=on, started_by=lambda c: last_grace_day(c, policies[c.house_id].late_fee_grace_days)
    )
    picks = []
    for kind, picked, opens in ((Kind.RENT_DUE, due, open_due), (Kind.RENT_LATE, late, open_late)):
        for charge in picked:
            unpaid = opens.get(charge.pk, ZERO)
            if unpaid > 0:
                picks.append((kind, charge, unpaid))
    return picks


def _charge_context(resident, organization, charge, policy, unpaid) -> dict:
    currency = organization.currency
    return _base(resident, organization, reminder=True) | {
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


def _reminded_lately(days: list[date], due_on: date, on: date) -> bool:
    """Whether an upcoming reminder went out on one of ``days`` recently enough to stand for this one (see
    ``UPCOMING_REPEAT_DAYS``)."""
    window = max(1, min(due_on.toordinal() - on.toordinal(), UPCOMING_REPEAT_DAYS))
    return any(day > on - timedelta(days=window) for day in days)


def _upcoming_days(organization: Organization, resident_ids, on: date) -> dict[int, list[date]]:
    """The local days of the upcoming reminders each resident was sent lately."""
    since = _local_midnight(organization, on - timedelta(days=UPCOMING_REPEAT_DAYS - 1))
    days = defaultdict(list)
    for resident_id, sent_at in ResidentNotice.objects.filter(
        resident_id__in=resident_ids, kind=Kind.RENT_UPCOMING, sent_at__gte=since
    ).values_list("resident_id", "sent_at"):
        days[resident_id].append(timezone.localdate(sent_at, timezone=organization.tzinfo))
    return days


def _upcoming_picks(organization: Organization, stays: list[_Stay], stay_ids, policies: dict, on: date) -> list[tuple]:
    """Rent the job will post in N days that no recent reminder announced, unless credit and payments on the way
    cover it, as ``(stay, due_on, amount, owed_before, policy)``. ``stay_ids``: the stays as a query of ids."""
    schedules = _schedules_of(stay_ids)
    candidates = []
    for stay in stays:
        policy = policies[stay.house_id]
        if not policy.rent_reminder_days:
            continue
        due_on = on + timedelta(days=policy.rent_reminder_days)
        amount = _upcoming_rent(stay, schedules[stay.pk], due_on)
        if amount > 0:
            candidates.append((stay, due_on, amount, policy))
    if not candidates:
        return []
    recent = _upcoming_days(organization, [stay.resident_id for stay, *_ in candidates], on)
    candidates = [row for row in candidates if not _reminded_lately(recent[row[0].resident_id], row[1], on)]
    resident_ids = [stay.resident_id for stay, *_ in candidates]
    balances = dict(
        LedgerEntry.objects.filter(resident_id__in=resident_ids, effective_on__lte=on)
        .order_by()
        .values("resident_id")
        .annotate(total=Sum("amount"))
        .values_list("resident_id", "total")
    )
    on_the_way = dict(
        Payment.objects.filter(resident_id__in=resident_ids, status=Payment.Status.PENDING)
        .order_by()
        .values("resident_id")
        .annotate(total=Sum("amount"))
        .values_list("resident_id", "total")
    )
    picks = []
    for stay, due_on, amount, policy in candidates:
        owed = (balances.get(stay.resident_id) or ZERO) - (on_the_way.get(stay.resident_id) or ZERO)
        if owed + amount > 0:  # else paid ahead: their credit and payments on the way cover it
            picks.append((stay, due_on, amount, owed, policy))
    return picks


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
    recent = _upcoming_days(organization, resident_ids, on)
    claimed = []
    now = timezone.now()
    for draft in drafts:
        if draft.charge is not None:
            if (draft.kind, draft.charge.pk) in sent:
                continue
        elif _reminded_lately(recent[draft.resident.pk], draft.context["due"], on):
            continue
        notice = ResidentNotice(
            organization=organization,
            resident=draft.resident,
            kind=draft.kind,
            charge_id=draft.charge.pk if draft.charge is not None else None,
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
