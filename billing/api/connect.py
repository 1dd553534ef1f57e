"""The organization's own Stripe account (Stripe Connect) in the API: its state, and the operator connecting it.
Everything under /api/v1/organization/payments/; operators only."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_base import StrictSerializer, ViewerMixin
from accounts.permissions import OPERATORS, RolePermission

from ..payment_settings import onboarding_urls
from ..selectors.connect import payment_account_of
from ..services.stripe_connect import stripe_account_connect


class PaymentAccount(serializers.Serializer):
    connect = serializers.BooleanField(
        help_text="Whether this deployment pays each organization into its own Stripe account (STRIPE_CONNECT)"
    )
    account_id = serializers.CharField(
        allow_null=True, help_text="The organization's connected Stripe account (acct_...); null until connected"
    )
    charges_enabled = serializers.BooleanField(help_text="The account can take payments: residents may pay online")
    payouts_enabled = serializers.BooleanField(help_text="Stripe can pay the account's balance out to its bank")
    details_submitted = serializers.BooleanField(help_text="The operator has finished Stripe's onboarding")


class ConnectInput(StrictSerializer):
    """No fields: Stripe sends the operator back to the payment settings page."""


class OnboardingLink(serializers.Serializer):
    onboarding_url = serializers.URLField(help_text="Stripe's onboarding page: send the operator there; single use")


class ConnectRefusal(serializers.Serializer):
    detail = serializers.CharField()


class PaymentAccountView(ViewerMixin, APIView):
    """The organization's own Stripe account, as Stripe last reported it (kept current by ``account.updated``
    events). Not connected: ``account_id`` is null and the flags are false. Operators only."""

    permission_classes = [RolePermission]
    read_roles = OPERATORS
    write_roles = OPERATORS

    @extend_schema(responses={200: PaymentAccount}, operation_id="organization_payments_retrieve")
    def get(self, request):
        state = payment_account_of(viewer=request.viewer)
        return Response(PaymentAccount(state).data)


class PaymentAccountConnectView(ViewerMixin, APIView):
    """The operator connects the organization to Stripe (Connect): the organization's Stripe account is created once
    (a second call continues with the same account), and the answer is the address of Stripe's onboarding, where the
    operator gives Stripe the business and bank details it needs; Stripe then sends them back to Hearth's payment
    settings page. Residents can pay online once the account can take charges. 400 when Connect is off in this
    deployment, 503 when Stripe is not set up, 502 when Stripe fails (nothing is changed)."""

    permission_classes = [RolePermission]
    read_roles = OPERATORS
    write_roles = OPERATORS

    @extend_schema(
        request=ConnectInput,
        responses={
            201: OnboardingLink,
            400: OpenApiResponse(ConnectRefusal, description="Connect is off in this deployment"),
            502: OpenApiResponse(ConnectRefusal, description="Stripe failed; nothing was changed"),
            503: OpenApiResponse(ConnectRefusal, description="Online payment is not set up in this deployment"),
        },
        operation_id="organization_payments_connect",
    )
    def post(self, request):
        ConnectInput(data=request.data).is_valid(raise_exception=True)
        url = stripe_account_connect(viewer=request.viewer, **onboarding_urls(request))
        return Response({"onboarding_url": url}, status=status.HTTP_201_CREATED)
