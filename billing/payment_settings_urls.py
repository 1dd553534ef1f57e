"""The operator's online payments page, under /dashboard/settings/payments/ beside the organization's other settings."""

from django.urls import path

from . import payment_settings

urlpatterns = [
    path("", payment_settings.payment_settings, name="billing-payment-settings"),
]
