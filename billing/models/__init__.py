"""Rent and money, one module per topic. Import models from here: ``from billing.models import LedgerEntry``."""

from .autopay import Autopay
from .deposits import DepositDeduction, DepositSettlement
from .ledger import CHARGE_KINDS, CREDIT_KINDS, DEBIT_KINDS, AppendOnlyError, EntryKind, LedgerEntry
from .notices import ReminderOptOut, ResidentNotice
from .online import OnlinePayment, OnlineRefund, PaymentAlert, StripeAccount, StripeCustomer, StripeEvent
from .payments import Payment, ReceiptCounter
from .policies import HouseBillingPolicy, LateFeeKind, RentPostingMark, RentSchedule
from .terms import MAX_AMOUNT, RentPeriod, Weekday

__all__ = [
    "CHARGE_KINDS",
    "CREDIT_KINDS",
    "DEBIT_KINDS",
    "MAX_AMOUNT",
    "AppendOnlyError",
    "Autopay",
    "DepositDeduction",
    "DepositSettlement",
    "EntryKind",
    "HouseBillingPolicy",
    "LateFeeKind",
    "LedgerEntry",
    "OnlinePayment",
    "OnlineRefund",
    "Payment",
    "PaymentAlert",
    "ReceiptCounter",
    "ReminderOptOut",
    "RentPeriod",
    "RentPostingMark",
    "RentSchedule",
    "ResidentNotice",
    "StripeAccount",
    "StripeCustomer",
    "StripeEvent",
    "Weekday",
]
