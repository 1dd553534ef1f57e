"""Autopay in the API: /api/v1/payments/autopay/, the resident's own autopay only (staff answer 403)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_base import StrictSerializer, ViewerMixin
from accounts.api_datetimes import OffsetDateTimeField
from accounts.api_schema import STRIPE_ERRORS, error_response
from accounts.models import Role
from accounts.permissions import RolePermission

from ..services.autopay import (
    autopay_available,
    autopay_consent_text,
    autopay_of,
    autopay_setup_start,
    autopay_turn_off,
)
from ..services.online_checkout import resident_of

RESIDENTS = frozenset({Role.RESIDENT})


class AutopayState(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["none", "setting_up", "on", "off"], help_text="none: never set up; setting_up: waiting for Stripe"
    )
    available = serializers.BooleanField(help_text="False until the organization takes online payments")
    payment_method_label = serializers.CharField(help_text='The saved method, e.g. "Visa ending 4242"')
    consent_text = serializers.CharField(help_text="What the resident agreed to, word for word (blank: never)")
    consented_at = OffsetDateTimeField(allow_null=True, read_only=True)
    turned_off_at = OffsetDateTimeField(allow_null=True, read_only=True)
    terms = serializers.CharField(
        help_text="The terms a new setup agrees to: show them, send them back as consent_text"
    )


class AutopaySetupInput(StrictSerializer):
    consent = serializers.BooleanField(help_text="Must be true: the resident agrees to the terms")
    consent_text = serializers.CharField(
        required=False, help_text="The terms as shown to the resident; refused when they are not the current terms"
    )


class AutopaySetupStarted(serializers.Serializer):
    checkout_url = serializers.URLField(help_text="Stripe's page to save the payment method: send the resident there")
    session_id = serializers.CharField()


def _state(resident) -> dict:
    autopay = autopay_of(resident)
    return {
        "status": autopay.status if autopay else "none",
        "available": autopay_available(resident),
        "payment_method_label": autopay.payment_method_label if autopay else "",
        "consent_text": autopay.consent_text if autopay else "",
        "consented_at": autopay.consented_at if autopay else None,
        "turned_off_at": autopay.turned_off_at if autopay else None,
        "terms": autopay_consent_text(resident=resident),
    }


class AutopayView(ViewerMixin, APIView):
    """A resident's autopay. ``GET``: whether it is on, with which payment method, and the terms to agree to.
    ``POST`` (``consent`` true): records the consent and answers the Stripe page where the resident saves a payment
    method; autopay is on once Stripe confirms it. ``DELETE``: turns autopay off at once, and stops retries of
    failed charges. Without online payment set up, ``POST`` answers 503; when Stripe fails, 502."""

    permission_classes = [RolePermission]
    read_roles = RESIDENTS
    write_roles = RESIDENTS

    @extend_schema(responses={200: AutopayState})
    def get(self, request):
        return Response(AutopayState(_state(resident_of(request.viewer))).data)

    @extend_schema(request=AutopaySetupInput, responses={201: AutopaySetupStarted, **STRIPE_ERRORS})
    def post(self, request):
        data = AutopaySetupInput(data=request.data)
        data.is_valid(raise_exception=True)
        url, session_id = autopay_setup_start(
            viewer=request.viewer,
            consent=data.validated_data["consent"],
            consent_text=data.validated_data.get("consent_text"),
            base_url=request.build_absolute_uri("/"),
        )
        return Response({"checkout_url": url, "session_id": session_id}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: AutopayState, 404: error_response("Autopay is not on.")})
    def delete(self, request):
        autopay = autopay_turn_off(viewer=request.viewer)
        return Response(AutopayState(_state(autopay.resident)).data)
