"""Billing's part of /api/v1/: everything under /api/v1/billing/."""

from django.urls import path

from accounts.api_base import ScopedSimpleRouter

from .deposits import DepositSettlementViewSet
from .ledger import LedgerEntryViewSet
from .payments import PaymentViewSet
from .rent import HouseBillingPolicyViewSet, RentScheduleViewSet
from .reports import AgingView, BalanceView, DelinquencyView, OpenChargesView, ResidentBalanceViewSet, StatementView

router = ScopedSimpleRouter()
router.register("entries", LedgerEntryViewSet, basename="billing-entry")
router.register("payments", PaymentViewSet, basename="billing-payment")
router.register("rent-schedules", RentScheduleViewSet, basename="billing-rent-schedule")
router.register("policies", HouseBillingPolicyViewSet, basename="billing-policy")
router.register("deposit-settlements", DepositSettlementViewSet, basename="billing-deposit-settlement")
router.register("balances", ResidentBalanceViewSet, basename="billing-resident-balance")

urlpatterns = [
    path("balance/", BalanceView.as_view(), name="billing-balance"),
    path("aging/", AgingView.as_view(), name="billing-aging"),
    path("delinquency/", DelinquencyView.as_view(), name="billing-delinquency"),
    path("open-charges/", OpenChargesView.as_view(), name="billing-open-charges"),
    path("statement/", StatementView.as_view(), name="billing-statement-api"),
    *router.urls,
]
