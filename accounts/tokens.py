"""API tokens (django-rest-knox): one per device, stored as a hash, expiring a set time after their last use."""

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication

from .models import ApiToken, Membership, Role, User


def token_ttl(user: User):
    """Residents keep a token longer than staff; someone who is both gets the staff limit."""
    roles = set(Membership.objects.active().filter(user=user).values_list("role", flat=True))
    if roles and roles <= {Role.RESIDENT}:
        return settings.RESIDENT_TOKEN_TTL
    return settings.STAFF_TOKEN_TTL


class ExpiringTokenAuthentication(TokenAuthentication):
    def renew_token(self, auth_token: ApiToken) -> None:
        now = timezone.now()
        new_expiry = now + token_ttl(auth_token.user)
        # One write a minute at most, whatever the request rate.
        if (new_expiry - auth_token.expiry).total_seconds() > 60 or auth_token.last_used_at is None:
            ApiToken.objects.filter(pk=auth_token.pk).update(expiry=new_expiry, last_used_at=now)
            auth_token.expiry, auth_token.last_used_at = new_expiry, now


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = ExpiringTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")  # noqa: S106 (a header prefix)
