from django.urls import path

from . import views, webhooks

urlpatterns = [
    path("receipts/<int:pk>/", views.receipt, name="billing-receipt"),
    path("receipts/<int:pk>/pdf/", views.receipt_pdf, name="billing-receipt-pdf"),
    path("statement/", views.statement_page, name="billing-statement"),
    path("statement/pdf/", views.statement_pdf, name="billing-statement-pdf"),
    path("stripe/webhook/", webhooks.stripe_webhook, name="billing-stripe-webhook"),
]
