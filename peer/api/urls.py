"""The peer-run houses' API routes, under /api/v1/peer/."""

from django.urls import path

from peer.api.chapters import ChapterViewSet, HouseReportViewSet
from peer.api.governance import HouseGovernanceView, OfficerTermViewSet, PeerHouseViewSet
from peer.api.meetings import BusinessMeetingViewSet, MotionViewSet
from peer.api.money import (
    BankEntryViewSet,
    BehaviourContractViewSet,
    ExpectedExpenseViewSet,
    HouseBillViewSet,
    MonthlyAuditViewSet,
    SharePaymentViewSet,
    ShareRateViewSet,
)

ROUTES = [
    ("peer/houses", PeerHouseViewSet, "peer-house"),
    ("peer/officer-terms", OfficerTermViewSet, "peer-officer-term"),
    ("peer/meetings", BusinessMeetingViewSet, "peer-meeting"),
    ("peer/motions", MotionViewSet, "peer-motion"),
    ("peer/expected-expenses", ExpectedExpenseViewSet, "peer-expected-expense"),
    ("peer/share-rates", ShareRateViewSet, "peer-share-rate"),
    ("peer/share-payments", SharePaymentViewSet, "peer-share-payment"),
    ("peer/bills", HouseBillViewSet, "peer-bill"),
    ("peer/bank-entries", BankEntryViewSet, "peer-bank-entry"),
    ("peer/audits", MonthlyAuditViewSet, "peer-audit"),
    ("peer/behaviour-contracts", BehaviourContractViewSet, "peer-behaviour-contract"),
    ("peer/chapters", ChapterViewSet, "peer-chapter"),
    ("peer/house-reports", HouseReportViewSet, "peer-house-report"),
]


urlpatterns = [
    path("houses/<int:pk>/governance/", HouseGovernanceView.as_view(), name="api-house-governance"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)
