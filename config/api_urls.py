"""Every endpoint of the versioned API, /api/v1/."""

from django.urls import include, path

from accounts.api import CurrentOrganizationView, MeView, TokenView
from accounts.api_base import ScopedRouter
from accounts.audit_api import AuditEntryViewSet
from accounts.token_api import ApiTokenViewSet
from billing.api.connect import PaymentAccountConnectView, PaymentAccountView
from compliance.api.certification import CertificationView, EvidencePackView
from compliance.api.urls import register as register_compliance
from houses.api import BedOutageViewSet, BedViewSet, HouseViewSet, RoomViewSet
from houses.staff_api import MembershipViewSet
from peer.api.urls import register as register_peer
from peer.api.urls import urlpatterns as peer_urlpatterns
from reports.api import MonthCloseViewSet, MonthlyMetricsView, ReportViewSet
from residents.chores.api import ChoreAssignmentViewSet, ChoreViewSet
from residents.conduct.api.grievances import GrievanceViewSet
from residents.conduct.api.incidents import IncidentViewSet, ResidentNoteViewSet
from residents.core.api.applications import ApplicationViewSet, WaitlistView
from residents.core.api.residents import ResidentViewSet
from residents.core.api.stays import BedBoardView, StayViewSet
from residents.house_rules.api import (
    CurrentRuleSetView,
    HouseRuleViewSet,
    RuleAcknowledgementViewSet,
    RuleSetViewSet,
    UnsignedResidentsView,
)
from residents.meetings.api import HouseMeetingViewSet, RecoveryMeetingAttendanceViewSet
from residents.program.api.phases import PhaseChangeViewSet, PhaseComplianceViewSet, PhaseViewSet, ResidentPhaseViewSet
from residents.program.api.signouts import CurfewViolationsView, OvernightPassViewSet, SignOutViewSet
from residents.testing.api import DrawViewSet, DrugTestPolicyViewSet, DrugTestViewSet, TestRequestViewSet

router = ScopedRouter()
router.register("auth/tokens", ApiTokenViewSet, basename="api-token-device")
router.register("houses", HouseViewSet, basename="house")
router.register("rooms", RoomViewSet, basename="room")
router.register("beds", BedViewSet, basename="bed")
router.register("bed-outages", BedOutageViewSet, basename="bed-outage")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("residents", ResidentViewSet, basename="resident")
router.register("stays", StayViewSet, basename="stay")
router.register("applications", ApplicationViewSet, basename="application")
router.register("reports", ReportViewSet, basename="report")
router.register("month-closes", MonthCloseViewSet, basename="month-close")
router.register("house-rules", HouseRuleViewSet, basename="house-rule")
router.register("rule-sets", RuleSetViewSet, basename="rule-set")
router.register("rule-acknowledgements", RuleAcknowledgementViewSet, basename="rule-acknowledgement")
router.register("grievances", GrievanceViewSet, basename="grievance")
router.register("audit-log", AuditEntryViewSet, basename="audit-entry")
router.register("drug-tests", DrugTestViewSet, basename="drug-test")
router.register("test-requests", TestRequestViewSet, basename="test-request")
router.register("drug-test-draws", DrawViewSet, basename="drug-test-draw")
router.register("drug-test-policies", DrugTestPolicyViewSet, basename="drug-test-policy")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("resident-notes", ResidentNoteViewSet, basename="resident-note")
router.register("chores", ChoreViewSet, basename="chore")
router.register("chore-assignments", ChoreAssignmentViewSet, basename="chore-assignment")
router.register("house-meetings", HouseMeetingViewSet, basename="house-meeting")
router.register("recovery-meetings", RecoveryMeetingAttendanceViewSet, basename="recovery-meeting")
router.register("phases", PhaseViewSet, basename="phase")
router.register("phase-changes", PhaseChangeViewSet, basename="phase-change")
router.register("resident-phases", ResidentPhaseViewSet, basename="resident-phase")
router.register("phase-compliance", PhaseComplianceViewSet, basename="phase-compliance")
router.register("sign-outs", SignOutViewSet, basename="sign-out")
router.register("passes", OvernightPassViewSet, basename="pass")
register_compliance(router)
register_peer(router)

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("organization/", CurrentOrganizationView.as_view(), name="api-organization"),
    path("organization/payments/", PaymentAccountView.as_view(), name="api-organization-payments"),
    path(
        "organization/payments/connect/", PaymentAccountConnectView.as_view(), name="api-organization-payments-connect"
    ),
    path("houses/<int:pk>/bed-board/", BedBoardView.as_view(), name="api-bed-board"),
    path("houses/<int:pk>/waitlist/", WaitlistView.as_view(), name="api-waitlist"),
    path("reports/monthly/", MonthlyMetricsView.as_view(), name="api-monthly-metrics"),
    path("houses/<int:house_pk>/rule-set/", CurrentRuleSetView.as_view(), name="house-rule-set"),
    path("houses/<int:house_pk>/rule-set/unsigned/", UnsignedResidentsView.as_view(), name="house-rule-set-unsigned"),
    path("houses/<int:pk>/curfew-violations/", CurfewViolationsView.as_view(), name="api-curfew-violations"),
    path("houses/<int:pk>/certification/", CertificationView.as_view(), name="api-certification"),
    path("houses/<int:pk>/certification/pack/", EvidencePackView.as_view(), name="api-certification-pack"),
    path("billing/", include("billing.api.urls")),
    path("payments/", include("billing.api.online_urls")),
    *peer_urlpatterns,
    *router.urls,
]
