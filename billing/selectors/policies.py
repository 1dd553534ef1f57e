"""Each house's billing policy, for the operator's rent settings page, and the policy said in plain words."""

from decimal import Decimal

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Membership
from accounts.money import money_words
from houses.models import House

from ..models import HouseBillingPolicy, LateFeeKind, RentPeriod, Weekday


def houses_with_policies(*, viewer: Membership) -> QuerySet[House]:
    """The houses the viewer may see, each with its billing policy and who last changed it joined
    (``house.billing_policy``, missing when the house has none yet), in one query whatever their number."""
    return House.objects.visible_to(viewer).select_related("billing_policy__updated_by").order_by("name", "pk")


def policy_of(house: House) -> HouseBillingPolicy | None:
    """The house's policy as joined by ``houses_with_policies`` (no query), or None when it has none."""
    return getattr(house, "billing_policy", None)


def _ordinal(day: int) -> str:
    """``1st`` in English; the bare number in a language whose sentence says the day its own way."""
    if (translation.get_language() or "en").split("-")[0] != "en":
        return str(day)
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def rent_words(policy: HouseBillingPolicy, currency: str) -> str:
    """``$900.00 a month, due on the 1st``, ``$210.00 a week, due on Fridays``, ``$400.00 every two weeks, due
    every other Friday``. Days 29-31 fall on a shorter month's last day (``billing.services.periods``)."""
    amount = money_words(policy.rent_amount, currency)
    if policy.rent_period == RentPeriod.MONTHLY:
        day = policy.rent_due_day
        if day == 31:
            return _("%(amount)s a month, due on the last day of the month") % {"amount": amount}
        if day >= 29:
            return _("%(amount)s a month, due on the %(day)s (the last day in shorter months)") % {
                "amount": amount,
                "day": _ordinal(day),
            }
        return _("%(amount)s a month, due on the %(day)s") % {"amount": amount, "day": _ordinal(day)}
    weekday = Weekday(policy.rent_due_weekday)
    if policy.rent_period == RentPeriod.WEEKLY:
        return WEEKLY[weekday] % {"amount": amount}
    return _("%(amount)s every two weeks, due every other %(weekday)s") % {"amount": amount, "weekday": weekday.label}


# "due on Fridays": a plural English makes with an s, other languages their own way.
WEEKLY = {
    Weekday.MONDAY: gettext_lazy("%(amount)s a week, due on Mondays"),
    Weekday.TUESDAY: gettext_lazy("%(amount)s a week, due on Tuesdays"),
    Weekday.WEDNESDAY: gettext_lazy("%(amount)s a week, due on Wednesdays"),
    Weekday.THURSDAY: gettext_lazy("%(amount)s a week, due on Thursdays"),
    Weekday.FRIDAY: gettext_lazy("%(amount)s a week, due on Fridays"),
    Weekday.SATURDAY: gettext_lazy("%(amount)s a week, due on Saturdays"),
    Weekday.SUNDAY: gettext_lazy("%(amount)s a week, due on Sundays"),
}


def deposit_words(policy: HouseBillingPolicy, currency: str) -> str:
    if policy.deposit_amount > 0:
        return _("deposit %(amount)s") % {"amount": money_words(policy.deposit_amount, currency)}
    return _("no deposit")


def _percent(value: Decimal) -> str:
    text = f"{value:f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def late_fee_words(policy: HouseBillingPolicy, currency: str) -> str:
    """``late fee $50.00 after 5 days' grace``; rent due on D with G grace days is late from D + G + 1."""
    if policy.late_fee_kind == LateFeeKind.NONE:
        return _("no late fee")
    if policy.late_fee_kind == LateFeeKind.FLAT:
        fee = money_words(policy.late_fee_amount, currency)
    else:
        fee = _("%(percent)s of the overdue rent") % {"percent": _percent(policy.late_fee_percent)}
    grace = policy.late_fee_grace_days
    if grace == 0:
        return _("late fee %(fee)s the day after rent is due") % {"fee": fee}
    return ngettext(
        "late fee %(fee)s after %(grace)s day's grace", "late fee %(fee)s after %(grace)s days' grace", grace
    ) % {"fee": fee, "grace": grace}


def policy_words(policy: HouseBillingPolicy, currency: str) -> str:
    """The whole policy in one line: ``$900.00 a month, due on the 1st · deposit $500.00 · late fee $50.00 after
    5 days' grace``."""
    return " · ".join([rent_words(policy, currency), deposit_words(policy, currency), late_fee_words(policy, currency)])
