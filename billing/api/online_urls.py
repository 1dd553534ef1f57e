"""Online payments' part of /api/v1/: everything under /api/v1/payments/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .online import CheckoutView, OnlinePaymentViewSet

router = SimpleRouter()
router.register("online", OnlinePaymentViewSet, basename="online-payment")

urlpatterns = [
    path("checkout/", CheckoutView.as_view(), name="payments-checkout"),
    *router.urls,
]
