"""Every endpoint of the versioned API, /api/v1/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api import CurrentOrganizationView, MeView, TokenView
from houses.api import BedViewSet, HouseViewSet, RoomViewSet
from houses.staff_api import MembershipViewSet
from residents.api.phases import PhaseChangeViewSet, PhaseComplianceViewSet, PhaseViewSet, ResidentPhaseViewSet
from residents.api.signouts import CurfewViolationsView, OvernightPassViewSet, SignOutViewSet

router = DefaultRouter()
router.register("houses", HouseViewSet, basename="house")
router.register("rooms", RoomViewSet, basename="room")
router.register("beds", BedViewSet, basename="bed")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("phases", PhaseViewSet, basename="phase")
router.register("phase-changes", PhaseChangeViewSet, basename="phase-change")
router.register("resident-phases", ResidentPhaseViewSet, basename="resident-phase")
router.register("phase-compliance", PhaseComplianceViewSet, basename="phase-compliance")
router.register("sign-outs", SignOutViewSet, basename="sign-out")
router.register("passes", OvernightPassViewSet, basename="pass")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("organization/", CurrentOrganizationView.as_view(), name="api-organization"),
    path("houses/<int:pk>/curfew-violations/", CurfewViolationsView.as_view(), name="api-curfew-violations"),
    *router.urls,
]
