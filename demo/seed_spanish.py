"""Demo of a Spanish-speaking resident: ``residente@example.com`` (password ``hearth-demo``), whose portal, rules,
receipts and reminders are in Spanish.

One of the first organization's current residents, not another new one, so the demo's counts stay as they are: the
first (by house, then move-in) whose house's current rules can be read in Spanish and who has not signed them yet (so
the demo can sign them in Spanish), who has no portal login, has not paid online, is not on autopay and is not out of
the house now. They get the portal login and read Spanish on both the login and the resident record. Two days ago
they paid part of what they owed by card (through the real event handling, as ``seed_stripe`` does) and were
e-mailed its receipt and a rent reminder (as records, as ``seed_pending_debit`` writes them); when they owed too little
for that (a resident in credit), the house charged them for a lost key the day before, so something is still owed.
Their chores and sign-outs are the ones every resident has.

Runs once per organization, after the Spanish rules (``seed_rules_es``), the online payments and the notices
(``seed_pending_debit``), so no other demo step picks this resident.
"""

from datetime import timedelta
from decimal import ROUND_UP, Decimal

from accounts.models import Membership, Organization, Role
from accounts.services import set_preferred_language
from billing.models import Autopay, EntryKind, LedgerEntry, OnlinePayment, ReminderOptOut, ResidentNotice
from billing.selectors.balances import balance_of
from billing.services.ledger import charge_post
from residents.house_rules.services import rule_set_has_language
from residents.models import Resident, RuleAcknowledgement, RuleSet, SignOut, Stay

from . import seed_pending_debit, seed_stripe

EMAIL = "residente@example.com"
LANGUAGE = "es"
PAID_DAYS_AGO = 2
PAID = Decimal("45.00")  # what they paid by card
STILL_OWED = Decimal("20.00")  # at least this much is left to pay
KEY_CHARGE = Decimal("125.00")
KEY_MEMO = "Lost room key: new key and lock change"
TAG = "spanish"

Kind = ResidentNotice.Kind


def seed(organization: Organization) -> Resident | None:
    if Membership.objects.filter(organization=organization, user__email=EMAIL).exists():
        return None
    stay = _pick(organization)
    if stay is None:
        return None
    from demo.seed import _membership, _user  # the demo's own login helpers (seed imports this module)

    resident = stay.resident
    user = _user(EMAIL, resident.display_name)
    set_preferred_language(user, LANGUAGE)
    resident.membership = _membership(user, organization, Role.RESIDENT)
    resident.email = EMAIL
    resident.preferred_language = LANGUAGE
    resident.save(update_fields=["membership", "email", "preferred_language"])
    _pay_part(organization, stay)
    _notices(organization, resident)
    return resident


def _pick(organization: Organization) -> Stay | None:
    """The first current resident (by house, then move-in) that nothing else in the demo uses, whose house's current
    rules are in Spanish and not signed by them yet."""
    today = organization.today()
    current = {
        rule_set.house_id: rule_set for rule_set in RuleSet.objects.filter(organization=organization, is_current=True)
    }
    signed = set(RuleAcknowledgement.objects.filter(rule_set__is_current=True).values_list("stay_id", "rule_set_id"))
    paid_online = set(OnlinePayment.objects.filter(organization=organization).values_list("resident_id", flat=True))
    on_autopay = set(Autopay.objects.filter(organization=organization).values_list("resident_id", flat=True))
    quiet = set(ReminderOptOut.objects.filter(organization=organization).values_list("resident_id", flat=True))
    out_now = set(SignOut.objects.filter(organization=organization).open().values_list("stay_id", flat=True))
    stays = (
        Stay.objects.open()
        .filter(organization=organization, resident__membership__isnull=True, move_in__lte=today - timedelta(days=3))
        .exclude(resident_id__in=paid_online | on_autopay | quiet)
        .exclude(pk__in=out_now)
        .select_related("resident", "house")
        .order_by("house_id", "move_in", "pk")
    )
    for stay in stays:
        rule_set = current.get(stay.house_id)
        if rule_set is None or (stay.pk, rule_set.pk) in signed:
            continue
        if rule_set_has_language(rule_set, LANGUAGE):
            return stay
    return None


def _pay_part(organization: Organization, stay: Stay) -> OnlinePayment:
    """A card payment two days ago that leaves something owed (a lost key charged the day before when the resident
    was in credit or owed too little)."""
    today = organization.today()
    short = STILL_OWED + PAID - balance_of(stay.resident_id)
    if short > 0:
        from demo.seed import _operator

        amount = max(KEY_CHARGE, short.quantize(Decimal("1"), rounding=ROUND_UP))
        charge_post(
            actor=_operator(organization), resident=stay.resident, kind=EntryKind.OTHER, amount=amount,
            memo=KEY_MEMO, effective_on=today - timedelta(days=PAID_DAYS_AGO + 1), stay=stay,
        )  # fmt: skip
    seed_stripe._card_payment(organization, stay.resident, PAID, days_ago=PAID_DAYS_AGO, tag=TAG)
    return OnlinePayment.objects.get(checkout_session_id=seed_stripe._session_id(organization, TAG))


def _notices(organization: Organization, resident: Resident) -> None:
    """The receipt of their card payment and a reminder for their latest rent still open, as records (the e-mails
    were "sent" when they fell due)."""
    for op in OnlinePayment.objects.filter(resident=resident, status__in=OnlinePayment.SETTLED, payment__isnull=False):
        ResidentNotice.objects.get_or_create(
            kind=Kind.RECEIPT,
            online_payment=op,
            attempt=0,
            defaults={"organization": organization, "resident": resident, "email": EMAIL, "sent_at": op.updated_at},
        )
    if ResidentNotice.objects.filter(resident=resident, kind__in=[Kind.RENT_DUE, Kind.RENT_LATE]).exists():
        return
    charge = (
        LedgerEntry.objects.live()
        .filter(resident=resident, kind=EntryKind.RENT, effective_on__lte=organization.today())
        .order_by("-effective_on", "-pk")
        .first()
    )
    if charge is not None:
        ResidentNotice.objects.get_or_create(
            kind=Kind.RENT_DUE,
            charge=charge,
            defaults={
                "organization": organization,
                "resident": resident,
                "email": EMAIL,
                "sent_at": seed_pending_debit._at(organization, charge.effective_on),
            },
        )
