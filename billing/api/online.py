"""Online payments in the API: a resident starts a Stripe Checkout, and everyone reads the online payments they may
see. Everything under /api/v1/payments/."""

import django_filters
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_base import ScopedReadOnlyViewSet, StrictModelSerializer, StrictSerializer, ViewerMixin
from accounts.api_datetimes import OffsetDateTimeField
from accounts.api_filters import FilterSet, ScopedModelChoiceFilter
from accounts.api_schema import STRIPE_ERRORS
from accounts.models import Role
from accounts.permissions import EVERYONE, RolePermission

from ..models import OnlinePayment
from ..selectors.online import checkout_options, online_payments_for
from ..services.online_checkout import online_checkout_start, resident_of
from .common import RESIDENT_NAME_SEARCH, money

RESIDENTS = frozenset({Role.RESIDENT})


class CheckoutInput(StrictSerializer):
    amount = money(
        required=False,
        allow_null=True,
        help_text="What to pay now; leave out to pay what is owed less payments on their way. Not more than that.",
    )


class CheckoutStarted(serializers.Serializer):
    checkout_url = serializers.URLField(help_text="Stripe's payment page: send the resident there")
    session_id = serializers.CharField()


class OpenCheckout(serializers.Serializer):
    amount = money()
    checkout_url = serializers.URLField(help_text="Stripe's payment page, to continue paying")
    session_id = serializers.CharField(source="checkout_session_id")
    expires_at = OffsetDateTimeField(help_text=_("When Stripe closes it if it is not paid by then"))


class CheckoutOptions(serializers.Serializer):
    available = serializers.BooleanField(help_text="False until the organization has set up online payment")
    open_balance = money(
        help_text="What is left to pay online: the balance less payments on their way and less the open checkout"
    )
    open_checkout = OpenCheckout(
        allow_null=True,
        help_text="The checkout started and still open, or null. Starting one for the same amount returns it; "
        "another amount (up to the open balance plus this one) replaces it.",
    )
    minimum = money()
    maximum = money()
    currency = serializers.CharField()


class CheckoutView(ViewerMixin, APIView):
    """A resident pays online. ``GET`` says whether online payment is set up, the open balance, the checkout still
    open and the limits; ``POST`` starts a Stripe Checkout for ``amount`` (default: what is owed less payments on
    their way) and answers the address to send the resident to. A resident has one checkout that can be paid: the
    open one is answered again for the same amount (a double tap, a second tab), and closed at Stripe when another
    amount is asked for; each closes by itself after 30 minutes. The ledger is credited later, when Stripe confirms
    the payment. Staff record payments instead (403). Without online payment set up, ``POST`` answers 503; when
    Stripe fails, 502 (nothing is charged); 409 when a checkout started at the same moment replaced this one."""

    permission_classes = [RolePermission]
    read_roles = RESIDENTS
    write_roles = RESIDENTS

    @extend_schema(responses={200: CheckoutOptions})
    def get(self, request):
        resident = resident_of(request.viewer)
        return Response(CheckoutOptions(checkout_options(resident=resident)).data)

    @extend_schema(request=CheckoutInput, responses={201: CheckoutStarted, **STRIPE_ERRORS})
    def post(self, request):
        data = CheckoutInput(data=request.data)
        data.is_valid(raise_exception=True)
        url, session_id = online_checkout_start(
            viewer=request.viewer,
            amount=data.validated_data.get("amount"),
            base_url=request.build_absolute_uri("/"),
        )
        return Response({"checkout_url": url, "session_id": session_id}, status=status.HTTP_201_CREATED)


class OnlinePaymentSerializer(StrictModelSerializer):
    resident_name = serializers.CharField(source="resident.display_name", read_only=True)
    house_name = serializers.CharField(source="house.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    method_label = serializers.SerializerMethodField()
    receipt_number = serializers.IntegerField(source="payment.receipt_number", read_only=True, allow_null=True)
    receipt_url = serializers.SerializerMethodField()

    class Meta:
        model = OnlinePayment
        fields = [
            "id", "resident", "resident_name", "house", "house_name", "amount", "currency", "status", "status_label",
            "payment_method_type", "method_label", "amount_refunded", "failure_message", "payment", "receipt_number",
            "receipt_url", "checkout_session_id", "payment_intent_id", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_method_label(self, online_payment) -> str | None:
        return {"card": "Card", "us_bank_account": "Bank debit"}.get(online_payment.payment_method_type)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_receipt_url(self, online_payment) -> str | None:
        payment = online_payment.payment
        return reverse("billing-receipt", args=[payment.pk]) if payment and payment.receipt_number else None


class OnlinePaymentFilter(FilterSet):
    resident = ScopedModelChoiceFilter("residents.Resident")
    house = ScopedModelChoiceFilter("houses.House")
    status = django_filters.MultipleChoiceFilter(choices=OnlinePayment.Status.choices)
    started_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label="On or after")
    started_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label="On or before")

    class Meta:
        model = OnlinePayment
        fields = ["resident", "house", "status", "started_after", "started_before"]


class OnlinePaymentViewSet(ScopedReadOnlyViewSet):
    """Online payments and what became of them (started, pending, paid, failed, refunded, disputed). Staff see those
    of residents who lived in their houses; a resident sees their own."""

    queryset = OnlinePayment.objects.all()
    selector = staticmethod(online_payments_for)
    serializer_class = OnlinePaymentSerializer
    filterset_class = OnlinePaymentFilter
    search_fields = ["checkout_session_id", "payment_intent_id", *RESIDENT_NAME_SEARCH]
    ordering_fields = ["created_at", "amount", "status"]
    ordering = ["-created_at", "-id"]
    read_roles = EVERYONE
