"""Refunds and payment alerts in the API, under /api/v1/payments/.

``POST /api/v1/payments/online/{id}/refund/``: an operator refunds (part of) a resident's online payment through
Stripe. Operators only: a refund sends the organization's money back out of its Stripe account (managers see
payments, refunds and alerts of their houses' residents, and handle alerts). The ledger is not written here; it
follows from Stripe's ``charge.refunded`` event, exactly once.

``/api/v1/payments/alerts/``: disputes (with Stripe's evidence deadline), failed bank debits and failed refunds that
staff may see; ``POST .../{id}/handled/`` closes one with a note of what was done.
"""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_base import ScopedReadOnlyViewSet, StrictModelSerializer, StrictSerializer, ViewerMixin
from accounts.api_filters import FilterSet, ScopedModelChoiceFilter, StrictBooleanFilter
from accounts.api_schema import STRIPE_ERRORS
from accounts.permissions import OPERATORS, STAFF, RolePermission

from ..models import OnlineRefund, PaymentAlert
from ..selectors.alerts import payment_alerts_for
from ..selectors.online import online_payments_for
from ..services.online_refunds import online_refund_request, refundable_of
from ..services.payment_alerts import payment_alert_handle
from .common import RESIDENT_NAME_SEARCH, money


class OnlineRefundInput(StrictSerializer):
    amount = money(
        required=False,
        allow_null=True,
        help_text="What to refund; leave out to refund all that is still refundable of the payment.",
    )
    note = serializers.CharField(max_length=300, help_text="Why the money goes back; kept with the refund.")


class OnlineRefundSerializer(StrictModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    reason_label = serializers.CharField(source="get_reason_display", read_only=True)
    currency = serializers.CharField(source="online_payment.currency", read_only=True)

    class Meta:
        model = OnlineRefund
        fields = [
            "id", "online_payment", "resident", "amount", "currency", "reason", "reason_label", "note", "status",
            "status_label", "refund_id", "failure_reason", "requested_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class OnlineRefundView(ViewerMixin, APIView):
    """Refunds ``amount`` (default: all still refundable) of a received online payment through Stripe; answers the
    refund as Stripe took it (``pending`` or ``succeeded``). Operators only (403 for others); a payment outside the
    organization is a 404. A payment not received, disputed or refunded in full: 409; an amount above what is
    refundable: 400 naming ``amount``; Stripe failing: 502 (the refund is kept, failed, with Stripe's reason)."""

    permission_classes = [RolePermission]
    read_roles = OPERATORS
    write_roles = OPERATORS
    http_method_names = ["post", "options"]

    @extend_schema(request=OnlineRefundInput, responses={201: OnlineRefundSerializer, **STRIPE_ERRORS})
    def post(self, request, pk: int):
        op = get_object_or_404(online_payments_for(viewer=request.viewer), pk=pk)
        data = OnlineRefundInput(data=request.data)
        data.is_valid(raise_exception=True)
        amount = data.validated_data.get("amount")
        refund = online_refund_request(
            online_payment_id=op.pk,
            # Nothing left to refund: the whole amount is asked for, so the service says why it cannot be.
            amount=(refundable_of(op) or op.amount) if amount is None else amount,
            reason=OnlineRefund.Reason.STAFF,
            actor=request.viewer,
            note=data.validated_data["note"],
        )
        return Response(OnlineRefundSerializer(refund).data, status=status.HTTP_201_CREATED)


class PaymentAlertSerializer(StrictModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    resident_name = serializers.CharField(source="resident.display_name", read_only=True)
    house_name = serializers.CharField(source="house.name", read_only=True)
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = PaymentAlert
        fields = [
            "id", "kind", "kind_label", "reference", "online_payment", "resident", "resident_name", "house",
            "house_name", "amount", "currency", "detail", "evidence_due_by", "created_at", "notified_at",
            "resolved_at", "resolution", "is_open",
        ]  # fmt: skip
        read_only_fields = fields

    def get_is_open(self, alert) -> bool:
        return alert.resolved_at is None


class HandledInput(StrictSerializer):
    note = serializers.CharField(max_length=300, help_text="What was done about it")


class PaymentAlertFilter(FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=PaymentAlert.Kind.choices)
    is_open = StrictBooleanFilter(field_name="resolved_at", lookup_expr="isnull", label="Open (true) or resolved")
    resident = ScopedModelChoiceFilter("residents.Resident")
    house = ScopedModelChoiceFilter("houses.House")

    class Meta:
        model = PaymentAlert
        fields = ["kind", "is_open", "resident", "house"]


class PaymentAlertViewSet(ScopedReadOnlyViewSet):
    """Payment alerts: a dispute (with Stripe's evidence deadline), a failed bank debit, a failed refund. Staff see
    those of residents who lived in their houses; residents none (403). ``handled`` closes an open alert with a
    note (409 when it is closed already)."""

    queryset = PaymentAlert.objects.all()
    selector = staticmethod(payment_alerts_for)
    serializer_class = PaymentAlertSerializer
    filterset_class = PaymentAlertFilter
    search_fields = ["reference", *RESIDENT_NAME_SEARCH]
    ordering_fields = ["created_at", "evidence_due_by", "amount"]
    ordering = ["-created_at", "-id"]
    read_roles = STAFF
    write_roles = STAFF

    @extend_schema(request=HandledInput, responses={200: PaymentAlertSerializer})
    @action(detail=True, methods=["post"])
    def handled(self, request, pk=None):
        alert = self.get_object()
        data = HandledInput(data=request.data)
        data.is_valid(raise_exception=True)
        alert = payment_alert_handle(viewer=request.viewer, alert_id=alert.pk, note=data.validated_data["note"])
        return Response(PaymentAlertSerializer(alert).data)
