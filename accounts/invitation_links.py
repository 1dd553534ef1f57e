"""The signed link in an invitation e-mail, and reading it back.

The link names the membership, its user and the moment it was created, signed with the secret key under a salt of
its own, and expires after ``INVITATION_MAX_AGE`` (14 days unless settings say otherwise). Nothing is stored: a
withdrawn invitation's row is gone, so its link finds nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Membership

SALT = "hearth.accounts.invitation"


class InvitationLinkError(Exception):
    """A link that cannot be used; ``status_code`` is what the accept page answers."""

    status_code = 400
    title = _("This invitation link does not work")
    message = _("The link is incomplete or has been changed. Open it again from the invitation e-mail.")


class InvitationLinkExpired(InvitationLinkError):
    title = _("This invitation has expired")
    message = _("Invitations work for a limited time. Ask whoever invited you to send the invitation again.")


class InvitationWithdrawn(InvitationLinkError):
    status_code = 404
    title = _("This invitation was withdrawn")
    message = _("The invitation no longer exists. If you expected it, ask whoever invited you to send a new one.")


def max_age() -> timedelta:
    return getattr(settings, "INVITATION_MAX_AGE", timedelta(days=14))


def _stamp(membership: Membership) -> int:
    return int(membership.created_at.timestamp())


def invitation_token(membership: Membership) -> str:
    return signing.dumps([membership.pk, membership.user_id, _stamp(membership)], salt=SALT)


def invitation_url(membership: Membership, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("invitation", kwargs={"token": invitation_token(membership)})


def membership_for_token(token: str) -> Membership:
    """The invitation a link names; raises an ``InvitationLinkError`` saying why the link cannot be used."""
    try:
        membership_id, user_id, stamp = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired as error:
        raise InvitationLinkExpired from error
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise InvitationLinkError from error
    membership = (
        Membership.objects.select_related("user", "organization").filter(pk=membership_id, user_id=user_id).first()
    )
    if membership is None or _stamp(membership) != stamp:
        raise InvitationWithdrawn
    return membership
