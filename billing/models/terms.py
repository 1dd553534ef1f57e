"""Rent terms shared by a house's default policy and a stay's schedule: an amount per period and when it falls due."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
# A typo guard, not a policy: no single entry, rent or fee is more than this (years of sober-living rent).
MAX_AMOUNT = Decimal("100000.00")


def money_field(**kwargs):
    return models.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class RentPeriod(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def due_day_constraint(prefix: str, period: str, weekday: str, day: str) -> models.CheckConstraint:
    """Monthly terms name a day of the month (1-31, clamped to the month's end); weekly ones a weekday."""
    return models.CheckConstraint(
        condition=(
            Q(**{period: RentPeriod.MONTHLY, f"{day}__gte": 1, f"{day}__lte": 31, f"{weekday}__isnull": True})
            | Q(
                **{
                    f"{period}__in": [RentPeriod.WEEKLY, RentPeriod.BIWEEKLY],
                    f"{weekday}__gte": 0,
                    f"{weekday}__lte": 6,
                    f"{day}__isnull": True,
                }
            )
        ),
        name=f"{prefix}_due_day_matches_period",
        violation_error_message="Monthly rent needs a day of the month (1-31); weekly rent needs a weekday.",
    )


def terms_errors(*, amount, period, due_weekday, due_day, names: dict[str, str]) -> dict[str, str]:
    """What is wrong with a set of rent terms, keyed by the caller's field names (empty when they are fine)."""
    errors = {}
    if amount is None or amount <= 0:
        errors[names["amount"]] = gettext("Rent must be more than zero.")
    elif amount > MAX_AMOUNT:
        errors[names["amount"]] = gettext("Rent cannot be more than %(most)s.") % {"most": f"{MAX_AMOUNT:,}"}
    elif amount != amount.quantize(CENT):
        errors[names["amount"]] = gettext("Use at most two decimal places.")
    if period not in RentPeriod.values:
        errors[names["period"]] = gettext("Choose weekly, biweekly or monthly.")
    elif period == RentPeriod.MONTHLY:
        if due_day is None or not 1 <= due_day <= 31:
            errors[names["due_day"]] = gettext("Monthly rent needs a due day of the month from 1 to 31.")
        if due_weekday is not None:
            errors[names["due_weekday"]] = gettext("Monthly rent is due on a day of the month, not a weekday.")
    else:
        if due_weekday is None or not 0 <= due_weekday <= 6:
            errors[names["due_weekday"]] = gettext("Weekly rent needs a due weekday.")
        if due_day is not None:
            errors[names["due_day"]] = gettext("Weekly rent is due on a weekday, not a day of the month.")
    return errors
