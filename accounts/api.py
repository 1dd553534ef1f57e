from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .api_base import StrictModelSerializer, StrictSerializer, ViewerMixin, validated
from .api_serializers import ErrorSerializer, TokenCreatedSerializer
from .models import ApiToken, Membership, Organization
from .permissions import OPERATORS, IsMember, RolePermission
from .services import organization_update, set_preferred_language
from .tenancy import memberships_of
from .throttling import LoginFailuresThrottle, LoginRateThrottle
from .tokens import ExpiringTokenAuthentication, token_create, token_name_from_user_agent, token_revoke
from .two_factor import services as two_factor

SESSION_CANNOT_REVOKE = gettext_lazy(
    "This request was signed in with a browser session, not an API token, so there is no token to revoke. "
    "Revoke a token by its id with DELETE /api/v1/auth/tokens/{id}/, or sign out of the website."
)


class TokenRequestSerializer(StrictSerializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(
        max_length=ApiToken._meta.get_field("name").max_length,
        required=False,
        allow_blank=True,
        help_text="The device or script this token is for (e.g. “Maria's iPhone”); the User-Agent if not given",
    )
    otp = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="For an account with two-factor sign-in: the six-digit code its authenticator app shows now, "
        "or one of its recovery codes",
    )


class TokenView(APIView):
    """Exchanges an e-mail and password for an API token (send it as ``Authorization: Token <key>``)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginRateThrottle, LoginFailuresThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenCreatedSerializer,
            400: OpenApiResponse(description="A field is missing or wrong, or the e-mail and password do not match"),
            403: OpenApiResponse(
                ErrorSerializer,
                description="An organization of this staff member requires two-factor sign-in, not yet set up",
            ),
            429: OpenApiResponse(
                ErrorSerializer,
                description="Too many attempts from this address, or failures for this e-mail: try again later",
            ),
        },
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
                {"non_field_errors": [_("Unable to sign in with that e-mail and password.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        two_factor.token_login_check(user=user, otp=data.validated_data.get("otp", ""))
        name = data.validated_data.get("name") or token_name_from_user_agent(request.headers.get("User-Agent", ""))
        token, key = token_create(user=user, name=name)
        token.token = key
        return Response(TokenCreatedSerializer(token).data)

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="Revoked: the next request made with this token is a 401"),
            400: OpenApiResponse(ErrorSerializer, description="The request was not made with an API token"),
        },
    )
    def delete(self, request):
        """Revokes the token making this request (signing this device out of the API)."""
        if not isinstance(request.auth, ApiToken):
            return Response({"detail": SESSION_CANNOT_REVOKE}, status=status.HTTP_400_BAD_REQUEST)
        token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # Signing in needs no credentials; revoking needs the token being revoked (or a session, which is told it has
    # none). Only signing in counts against the login limits.
    def _revoking(self) -> bool:
        return getattr(getattr(self, "request", None), "method", None) == "DELETE"

    def get_authenticators(self):
        if self._revoking():
            return [ExpiringTokenAuthentication(), SessionAuthentication()]
        return super().get_authenticators()

    def get_permissions(self):
        if self._revoking():
            return [IsAuthenticated()]
        return super().get_permissions()

    def get_throttles(self):
        if self._revoking():
            return []
        return super().get_throttles()


class OrganizationSerializer(StrictModelSerializer):
    class Meta:
        model = Organization
        fields = [
            "id", "name", "slug", "timezone", "currency", "require_staff_two_factor", "sensitive_records_kept_years",
        ]  # fmt: skip
        read_only_fields = ["slug"]
        extra_kwargs = {"sensitive_records_kept_years": {"min_value": 1, "max_value": 50}}


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
    preferred_language = serializers.ChoiceField(
        choices=settings.LANGUAGES, help_text="The language Hearth speaks to this user: pages, e-mails, API messages"
    )


class MeUpdateSerializer(StrictSerializer):
    preferred_language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="The language Hearth speaks to this user from now on (pages, e-mails, API messages)",
    )


class MeView(ViewerMixin, APIView):
    """Who is calling, in which organization and role. Pick another organization with the X-Organization header."""

    permission_classes = [IsMember]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(self._me(request))

    @extend_schema(
        request=MeUpdateSerializer,
        responses={200: MeSerializer, 400: OpenApiResponse(description="The language is not one Hearth speaks")},
    )
    def patch(self, request):
        """Changes the caller's own settings: the language Hearth speaks to them."""
        changes = validated(MeUpdateSerializer, request)
        if "preferred_language" in changes:
            set_preferred_language(request.user, changes["preferred_language"])
        return Response(self._me(request))

    def _me(self, request) -> dict:
        viewer = request.viewer
        payload = {
            "id": request.user.pk,
            "email": request.user.email,
            "full_name": request.user.full_name,
            "membership": viewer,
            "house_ids": sorted(viewer.house_ids) if viewer.is_manager else [],
            "memberships": memberships_of(request.user),
            "preferred_language": request.user.preferred_language,
        }
        return MeSerializer(payload).data


class CurrentOrganizationView(ViewerMixin, generics.RetrieveUpdateAPIView):
    """The organization this request acts within; operators may rename it or change its time zone and currency."""

    serializer_class = OrganizationSerializer
    permission_classes = [RolePermission]
    write_roles = OPERATORS

    def get_object(self):
        return self.request.viewer.organization

    def perform_update(self, serializer):
        serializer.instance = organization_update(actor=self.request.viewer, **serializer.validated_data)
