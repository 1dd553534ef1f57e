"""Billing in the admin. The ledger, payments, schedules and settlements are read-only here: money moves only
through the services, so every rule (signs, reversals, receipt numbers) holds. House policies may be edited."""

import json

from django.contrib import admin
from django.utils.html import format_html

from accounts.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    DepositDeduction,
    DepositSettlement,
    HouseBillingPolicy,
    LedgerEntry,
    OnlinePayment,
    Payment,
    ReceiptCounter,
    RentSchedule,
    StripeCustomer,
    StripeEvent,
)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """Append-only: no add, change or delete, for anybody. Correct an entry by reversing it through the API."""

    list_display = ["effective_on", "resident", "house", "kind", "amount", "memo", "created_by", "created_at"]
    list_filter = ["kind", "organization", "house"]
    search_fields = ["memo", "resident__legal_first_name", "resident__legal_last_name", "idempotency_key"]
    date_hierarchy = "effective_on"
    list_select_related = ["resident", "house", "created_by"]
    raw_id_fields = ["reverses", "for_charge", "stay", "rent_schedule"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["receipt_number", "received_on", "resident", "house", "method", "amount", "status", "reference"]
    list_filter = ["method", "status", "organization", "house"]
    search_fields = ["reference", "payer_name", "resident__legal_first_name", "resident__legal_last_name"]
    date_hierarchy = "received_on"
    list_select_related = ["resident", "house"]


@admin.register(HouseBillingPolicy)
class HouseBillingPolicyAdmin(admin.ModelAdmin):
    list_display = ["house", "rent_amount", "rent_period", "deposit_amount", "late_fee_kind", "late_fee_grace_days"]
    list_filter = ["organization", "rent_period", "late_fee_kind"]
    search_fields = ["house__name"]
    list_select_related = ["house"]
    readonly_fields = ["organization", "updated_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.organization_id = obj.house.organization_id
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RentSchedule)
class RentScheduleAdmin(ReadOnlyAdmin):
    list_display = ["stay", "amount", "period", "due_weekday", "due_day", "starts_on", "source"]
    list_filter = ["period", "source", "organization"]
    search_fields = ["stay__resident__legal_first_name", "stay__resident__legal_last_name"]
    list_select_related = ["stay__resident", "stay__house"]


class DepositDeductionInline(ReadOnlyInline):
    model = DepositDeduction
    extra = 0
    can_delete = False


@admin.register(DepositSettlement)
class DepositSettlementAdmin(ReadOnlyAdmin):
    list_display = ["stay", "settled_on", "deposit_held", "deductions_total", "refund_amount"]
    list_filter = ["organization", "house"]
    list_select_related = ["stay__resident", "stay__house"]
    inlines = [DepositDeductionInline]


@admin.register(ReceiptCounter)
class ReceiptCounterAdmin(ReadOnlyAdmin):
    list_display = ["organization", "last_number"]


@admin.register(OnlinePayment)
class OnlinePaymentAdmin(ReadOnlyAdmin):
    """Online payments move only with Stripe's webhooks; support reads them here, with the events that moved them."""

    list_display = [
        "created_at", "resident", "house", "amount", "currency", "status", "payment_method_type", "amount_refunded",
        "checkout_session_id", "payment_intent_id",
    ]  # fmt: skip
    list_filter = ["status", "payment_method_type", "organization", "house"]
    search_fields = [
        "checkout_session_id", "payment_intent_id", "charge_id", "dispute_id", "resident__legal_first_name",
        "resident__legal_last_name",
    ]  # fmt: skip
    date_hierarchy = "created_at"
    list_select_related = ["resident", "house"]
    raw_id_fields = ["payment", "stay"]


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    """Every webhook event Stripe sent, once: what Hearth did with it (handled, ignored, failed) and why."""

    list_display = [
        "received_at", "id", "type", "status", "attempts", "short_error", "organization", "account", "online_payment",
    ]  # fmt: skip
    list_filter = ["status", "type", "livemode", "organization"]
    search_fields = ["id", "type", "error", "account"]
    date_hierarchy = "received_at"
    list_select_related = ["organization", "online_payment"]
    fields = [
        "id", "type", "status", "attempts", "error", "organization", "account", "online_payment", "livemode",
        "api_version", "created", "received_at", "processed_at", "pretty_payload",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description="error")
    def short_error(self, event):
        return event.error[:80]

    @admin.display(description="payload")
    def pretty_payload(self, event):
        return format_html("<pre>{}</pre>", json.dumps(event.payload, indent=2, sort_keys=True))


@admin.register(StripeCustomer)
class StripeCustomerAdmin(ReadOnlyAdmin):
    list_display = ["customer_id", "resident", "organization", "created_at"]
    search_fields = ["customer_id", "resident__legal_first_name", "resident__legal_last_name"]
    list_select_related = ["resident", "organization"]
