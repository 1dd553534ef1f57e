"""Serializers the accounts API modules share: the sign-in view (``accounts.api``) and the token list
(``accounts.token_api``)."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from .api_base import ModelSerializer
from .models import ApiToken

ErrorSerializer = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})


class TokenCreatedSerializer(ModelSerializer):
    """A token just created at sign-in, with its key."""

    token = serializers.CharField(help_text="The key: send it as `Authorization: Token <key>`. It is shown only now.")

    class Meta:
        model = ApiToken
        fields = ["token", "id", "name", "expiry"]
        read_only_fields = fields
        extra_kwargs = {"expiry": {"help_text": "When the token dies unless used before; each use moves it forward"}}
