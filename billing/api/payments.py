"""Payments: recorded by staff (cash, check, money order, third parties), each with a receipt."""

import django_filters
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.api_base import ScopedRelatedField, ScopedViewSet, StrictModelSerializer, StrictSerializer
from accounts.api_filters import FilterSet, ScopedModelChoiceFilter
from accounts.models import Membership
from accounts.permissions import EVERYONE, STAFF
from residents.models import Resident

from ..models import Payment
from ..selectors.ledger import payments_for
from ..services.payments import payment_record
from .common import RESIDENT_NAME_SEARCH, money


class PaymentSerializer(StrictModelSerializer):
    resident_name = serializers.CharField(source="resident.display_name", read_only=True)
    house_name = serializers.CharField(source="house.name", read_only=True)
    method_label = serializers.CharField(source="get_method_display", read_only=True)
    received_by_name = serializers.SerializerMethodField()
    currency = serializers.CharField(source="organization.currency", read_only=True)
    receipt_url = serializers.SerializerMethodField()
    receipt_pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "id", "receipt_number", "resident", "resident_name", "house", "house_name", "method", "method_label",
            "status", "amount", "currency", "received_on", "reference", "payer_name", "received_by_name", "memo",
            "entry", "receipt_url", "receipt_pdf_url", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_received_by_name(self, payment) -> str | None:
        return payment.received_by.get_full_name() if payment.received_by else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_receipt_url(self, payment) -> str | None:
        return reverse("billing-receipt", args=[payment.pk]) if payment.receipt_number else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_receipt_pdf_url(self, payment) -> str | None:
        return reverse("billing-receipt-pdf", args=[payment.pk]) if payment.receipt_number else None


class PaymentInput(StrictSerializer):
    resident = ScopedRelatedField(queryset=Resident.objects.all())
    method = serializers.ChoiceField(
        choices=[(m.value, m.label) for m in Payment.Method if m in Payment.MANUAL_METHODS]
    )
    amount = money(help_text="Positive, at most two decimal places")
    received_on = serializers.DateField(required=False, help_text="Defaults to today; cannot be in the future")
    reference = serializers.CharField(
        max_length=80, required=False, allow_blank=True, default="", help_text="Required for check and money order"
    )
    payer_name = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default="", help_text="Required for agency, family, voucher"
    )
    memo = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    received_by = ScopedRelatedField(
        queryset=Membership.objects.all(),
        required=False,
        help_text=_("Membership id of the staff member who took the money; defaults to whoever records it"),
    )


class PaymentFilter(FilterSet):
    house = ScopedModelChoiceFilter("houses.House")
    resident = ScopedModelChoiceFilter("residents.Resident")
    method = django_filters.MultipleChoiceFilter(choices=Payment.Method.choices)
    status = django_filters.ChoiceFilter(choices=Payment.Status.choices)
    receipt_number = django_filters.NumberFilter(field_name="receipt_number")
    received_after = django_filters.DateFilter(field_name="received_on", lookup_expr="gte", label="On or after")
    received_before = django_filters.DateFilter(field_name="received_on", lookup_expr="lte", label="On or before")

    class Meta:
        model = Payment
        fields = ["house", "resident", "method", "status", "receipt_number", "received_after", "received_before"]


class PaymentViewSet(ScopedViewSet):
    """Payments received. Staff record cash, checks, money orders and third-party payments (``POST``); each is
    credited to the ledger and numbered with the organization's next receipt number. Staff of the house where it
    was received and the resident themself may read it and print its receipt. A payment is never deleted: reverse
    its ledger entry (a bounced check) and the payment shows as reversed."""

    queryset = Payment.objects.all()
    selector = staticmethod(payments_for)
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter
    search_fields = ["reference", "payer_name", "memo", *RESIDENT_NAME_SEARCH]
    ordering_fields = ["received_on", "amount", "receipt_number", "created_at", "method"]
    ordering = ["-received_on", "-id"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    write_roles = STAFF

    @extend_schema(request=PaymentInput, responses={201: PaymentSerializer})
    def create(self, request, *args, **kwargs):
        data = PaymentInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.setdefault("received_on", request.viewer.organization.today())
        payment = payment_record(actor=request.viewer, **values)
        payment = Payment.objects.select_related("resident", "house", "received_by", "organization").get(pk=payment.pk)
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)
