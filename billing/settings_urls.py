"""Operator pages for rent settings, under /dashboard/settings/rent/ beside the organization's other settings."""

from django.urls import path

from . import rent_settings

urlpatterns = [
    path("", rent_settings.rent_settings, name="billing-rent-settings"),
    path("<int:house_id>/", rent_settings.rent_settings_edit, name="billing-rent-settings-edit"),
]
