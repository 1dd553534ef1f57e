"""Resident pages: staff pages under /dashboard/, the resident portal under /portal/. Each slice lists its own."""

from django.urls import include, path

STAFF_SLICES = (
    "dashboard", "core", "house_rules", "chores", "testing", "meetings", "program", "conduct", "retention",
)  # fmt: skip

urlpatterns = [
    *(path("dashboard/", include(f"residents.{slice_}.urls")) for slice_ in STAFF_SLICES),
    path("portal/", include("residents.portal.urls")),
]
