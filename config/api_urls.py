"""Every endpoint of the versioned API, /api/v1/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api import CurrentOrganizationView, MeView, TokenView
from accounts.audit_api import AuditEntryViewSet
from houses.api import BedViewSet, HouseViewSet, RoomViewSet
from houses.staff_api import MembershipViewSet
from residents.api.drug_tests import DrawViewSet, DrugTestPolicyViewSet, DrugTestViewSet, TestRequestViewSet
from residents.api.incidents import IncidentViewSet, ResidentNoteViewSet

router = DefaultRouter()
router.register("houses", HouseViewSet, basename="house")
router.register("rooms", RoomViewSet, basename="room")
router.register("beds", BedViewSet, basename="bed")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("audit-log", AuditEntryViewSet, basename="audit-entry")
router.register("drug-tests", DrugTestViewSet, basename="drug-test")
router.register("test-requests", TestRequestViewSet, basename="test-request")
router.register("drug-test-draws", DrawViewSet, basename="drug-test-draw")
router.register("drug-test-policies", DrugTestPolicyViewSet, basename="drug-test-policy")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("resident-notes", ResidentNoteViewSet, basename="resident-note")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("organization/", CurrentOrganizationView.as_view(), name="api-organization"),
    *router.urls,
]
