from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from .api_base import StrictModelSerializer, StrictSerializer, ViewerMixin
from .models import ApiToken, Membership, Organization
from .permissions import OPERATORS, IsMember, RolePermission
from .tenancy import memberships_of
from .tokens import token_ttl


class TokenRequestSerializer(StrictSerializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class TokenView(APIView):
    """Exchanges an e-mail and password for an API token (send it as ``Authorization: Token <key>``)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
        auth=[],
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The plain HttpRequest, so django-axes can count failures and lock out guessing.
        user = authenticate(
            request._request, username=data.validated_data["email"], password=data.validated_data["password"]
        )
        if user is None or not user.is_active:
            return Response(
                {"non_field_errors": ["Unable to sign in with that e-mail and password."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        _, key = ApiToken.objects.create(user=user, expiry=token_ttl(user))
        return Response({"token": key})


class OrganizationSerializer(StrictModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "slug", "timezone", "currency"]
        read_only_fields = ["slug"]


class MembershipSummarySerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "role", "organization"]


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    membership = MembershipSummarySerializer(help_text="The organization and role this request acts as")
    house_ids = serializers.ListField(child=serializers.IntegerField(), help_text="A manager's houses")
    memberships = MembershipSummarySerializer(many=True, help_text="Every organization this user belongs to")


class MeView(ViewerMixin, APIView):
    """Who is calling, in which organization and role. Pick another organization with the X-Organization header."""

    permission_classes = [IsMember]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        viewer = request.viewer
        payload = {
            "id": request.user.pk,
            "email": request.user.email,
            "full_name": request.user.full_name,
            "membership": viewer,
            "house_ids": sorted(viewer.house_ids) if viewer.is_manager else [],
            "memberships": memberships_of(request.user),
        }
        return Response(MeSerializer(payload).data)


class CurrentOrganizationView(ViewerMixin, generics.RetrieveUpdateAPIView):
    """The organization this request acts within; operators may rename it or change its time zone and currency."""

    serializer_class = OrganizationSerializer
    permission_classes = [RolePermission]
    write_roles = OPERATORS

    def get_object(self):
        return self.request.viewer.organization
