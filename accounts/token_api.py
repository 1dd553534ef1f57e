"""A user's own API tokens: listed and revoked by their owner, whatever their role, with or without an organization.

Signing in (``POST /api/v1/auth/token/``) and revoking the token in hand (``DELETE /api/v1/auth/token/``) are
``accounts.api.TokenView``; this module holds the list and the revocation by id (the serializers both share are in
``accounts.api_serializers``).
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from .api_base import ModelSerializer, ViewerMixin
from .api_filters import StrictQueryParams
from .api_serializers import ErrorSerializer
from .models import ApiToken
from .tokens import token_revoke, tokens_of


class ApiTokenSerializer(ModelSerializer):
    """A token as its owner sees it later: never the key (shown once, at sign-in) nor its digest."""

    current = serializers.SerializerMethodField(help_text="Whether this is the token making this request")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "created", "last_used_at", "expiry", "current"]
        read_only_fields = fields
        extra_kwargs = {
            "expiry": {"help_text": "When the token dies unless used before; each use moves it forward"},
            "last_used_at": {"help_text": "The last request made with the token (to the minute); empty if never"},
        }

    def get_current(self, token: ApiToken) -> bool:
        presented = getattr(self.context.get("request"), "auth", None)
        return isinstance(presented, ApiToken) and presented.pk == token.pk


NOT_YOURS = _("You have no API token with this id.")


@extend_schema_view(
    list=extend_schema(summary="Your API tokens, one per device, newest first"),
    destroy=extend_schema(
        summary="Revoke one of your API tokens",
        responses={
            204: OpenApiResponse(description="Revoked: the next request made with it is a 401"),
            404: OpenApiResponse(ErrorSerializer, description=NOT_YOURS),
        },
    ),
)
class ApiTokenViewSet(ViewerMixin, mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The caller's own API tokens. Anyone signed in may list and revoke theirs, even with no organization (yet or
    any more): a token is the person's, not the organization's."""

    queryset = ApiToken.objects.none()
    # Scoped by the person, not the organization: the selector takes the signed-in user.
    selector = staticmethod(tokens_of)
    serializer_class = ApiTokenSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = [StrictQueryParams]  # a handful of tokens: no search, ordering or filters to offer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return self.selector(self.request.user)

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            # Another user's token reads exactly as a missing one.
            raise exceptions.NotFound(NOT_YOURS) from None

    def perform_destroy(self, instance):
        token_revoke(token=instance)
