"""Online payments' part of /api/v1/: everything under /api/v1/payments/."""

from django.urls import path

from accounts.api_base import ScopedSimpleRouter

from .autopay import AutopayView
from .online import CheckoutView, OnlinePaymentViewSet
from .refunds import OnlineRefundView, PaymentAlertViewSet

router = ScopedSimpleRouter()
router.register("online", OnlinePaymentViewSet, basename="online-payment")
router.register("alerts", PaymentAlertViewSet, basename="payment-alert")

urlpatterns = [
    path("checkout/", CheckoutView.as_view(), name="payments-checkout"),
    path("autopay/", AutopayView.as_view(), name="payments-autopay"),
    path("online/<int:pk>/refund/", OnlineRefundView.as_view(), name="payments-online-refund"),
    *router.urls,
]
