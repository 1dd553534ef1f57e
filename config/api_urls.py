"""Every endpoint of the versioned API, /api/v1/."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.api import CurrentOrganizationView, MeView, TokenView
from houses.api import BedViewSet, HouseViewSet, RoomViewSet
from houses.staff_api import MembershipViewSet

router = DefaultRouter()
router.register("houses", HouseViewSet, basename="house")
router.register("rooms", RoomViewSet, basename="room")
router.register("beds", BedViewSet, basename="bed")
router.register("memberships", MembershipViewSet, basename="membership")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("organization/", CurrentOrganizationView.as_view(), name="api-organization"),
    path("billing/", include("billing.api.urls")),
    path("payments/", include("billing.api.online_urls")),
    *router.urls,
]
