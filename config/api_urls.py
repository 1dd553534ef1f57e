"""Every endpoint of the versioned API, /api/v1/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api import CurrentOrganizationView, MeView, TokenView
from compliance.api.certification import CertificationView, EvidencePackView
from compliance.api.urls import register as register_compliance
from houses.api import BedViewSet, HouseViewSet, RoomViewSet
from houses.staff_api import MembershipViewSet
from residents.api.applications import ApplicationViewSet, WaitlistView
from residents.api.residents import ResidentViewSet
from residents.api.stays import BedBoardView, StayViewSet

router = DefaultRouter()
router.register("houses", HouseViewSet, basename="house")
router.register("rooms", RoomViewSet, basename="room")
router.register("beds", BedViewSet, basename="bed")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("residents", ResidentViewSet, basename="resident")
router.register("stays", StayViewSet, basename="stay")
router.register("applications", ApplicationViewSet, basename="application")
register_compliance(router)

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("organization/", CurrentOrganizationView.as_view(), name="api-organization"),
    path("houses/<int:pk>/bed-board/", BedBoardView.as_view(), name="api-bed-board"),
    path("houses/<int:pk>/waitlist/", WaitlistView.as_view(), name="api-waitlist"),
    path("houses/<int:pk>/certification/", CertificationView.as_view(), name="api-certification"),
    path("houses/<int:pk>/certification/pack/", EvidencePackView.as_view(), name="api-certification-pack"),
    *router.urls,
]
