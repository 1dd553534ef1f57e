from django.urls import path

from . import alerts_page, resident_page, views, webhooks

urlpatterns = [
    path("receipts/<int:pk>/", views.receipt, name="billing-receipt"),
    path("receipts/<int:pk>/pdf/", views.receipt_pdf, name="billing-receipt-pdf"),
    path("statement/", views.statement_page, name="billing-statement"),
    path("statement/pdf/", views.statement_pdf, name="billing-statement-pdf"),
    path("residents/<int:resident_id>/payments/", resident_page.record_payment, name="billing-record-payment"),
    path("residents/<int:resident_id>/charges/", resident_page.post_charge, name="billing-post-charge"),
    path("stripe/webhook/", webhooks.stripe_webhook, name="billing-stripe-webhook"),
    path("alerts/<int:alert_id>/", alerts_page.payment_alert_page, name="billing-payment-alert"),
    path(
        "online-payments/<int:online_payment_id>/refund/", alerts_page.online_refund_page, name="billing-online-refund"
    ),
]
