"""API tokens (django-rest-knox): one per device, stored as a hash, expiring a set time after their last use.

The key is shown once, when the token is created; the database keeps only its SHA-512 digest (and knox's short
lookup prefix), so a copy of the database signs nobody in. A token dies when its owner revokes it, when it goes
unused for its time to live (``STAFF_TOKEN_TTL``, ``RESIDENT_TOKEN_TTL``), and with all of its owner's others when
the owner's password changes, the owner is deactivated or their last membership ends (``accounts.token_receivers``).
"""

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication

from .models import ApiToken, Role, User
from .tenancy import memberships_of

UNNAMED_DEVICE = "Unnamed device"


def token_ttl(user: User):
    """Residents keep a token longer than staff; someone who is both gets the staff limit (and so does someone with
    no membership to act as, for whom a token can do little but list and revoke tokens)."""
    roles = set(memberships_of(user).values_list("role", flat=True))
    if roles and roles <= {Role.RESIDENT}:
        return settings.RESIDENT_TOKEN_TTL
    return settings.STAFF_TOKEN_TTL


def token_name_from_user_agent(user_agent: str) -> str:
    """A name for a token its owner did not name: the client's User-Agent, printable and cut to fit."""
    agent = " ".join("".join(char for char in user_agent if char.isprintable()).split())
    if not agent:
        return UNNAMED_DEVICE
    limit = ApiToken._meta.get_field("name").max_length
    return agent if len(agent) <= limit else agent[: limit - 1] + "…"


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for one device, whatever tokens the user already has (signing in again never hands back an
    existing key, which only its first holder ever saw). Returns the token and its key, shown this once."""
    return ApiToken.objects.create(user=user, expiry=token_ttl(user), name=name)


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's live tokens, newest first. An expired one is deleted when it is next presented."""
    return ApiToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created", "-pk")


def token_revoke(*, token: ApiToken) -> None:
    """Ends one token at once: the next request made with it is a 401."""
    token.delete()


def tokens_revoke_all(*, user: User) -> int:
    """Ends every token of the user (password changed, deactivated, last membership ended). Returns how many."""
    deleted, _ = ApiToken.objects.filter(user_id=user.pk).delete()
    return deleted


class ExpiringTokenAuthentication(TokenAuthentication):
    """Knox's token check, with a time to live that follows the owner's role and a record of the last use."""

    def renew_token(self, auth_token: ApiToken) -> None:
        now = timezone.now()
        new_expiry = now + token_ttl(auth_token.user)
        # One write a minute at most, whatever the request rate (so last_used_at is right to the minute). Moving in
        # either direction: a resident who becomes staff gets the shorter limit from their next request on.
        if abs((new_expiry - auth_token.expiry).total_seconds()) > 60 or auth_token.last_used_at is None:
            ApiToken.objects.filter(pk=auth_token.pk).update(expiry=new_expiry, last_used_at=now)
            auth_token.expiry, auth_token.last_used_at = new_expiry, now


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = ExpiringTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")  # noqa: S106 (a header prefix)
