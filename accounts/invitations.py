"""Invitations after they are sent: the invitee accepts, or the organization withdraws or sends them again.

An invitation is a pending ``Membership`` (``accepted_at`` empty, ``is_active`` off). It grants nothing: only the
invitee, through the signed link, turns it into access.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import tasks
from .exceptions import Conflict, NotAllowed, NotFound
from .models import Membership, Role, User
from .queue import enqueue_on_commit


class NotTheInvitee(NotAllowed):
    """The signed-in account is not the one invited."""


def _require_may_manage(actor: Membership, membership: Membership) -> None:
    """Operators manage every invitation of their organization; a manager only residents' (to the portal)."""
    if membership.organization_id != actor.organization_id:
        raise NotFound(_("This invitation belongs to another organization."))
    if actor.is_operator or (actor.is_manager and membership.role == Role.RESIDENT):
        return
    raise NotAllowed(_("Only an operator may manage this invitation."))


def _pending(membership: Membership) -> Membership:
    # Locked so an acceptance and a withdrawal of the same invitation cannot both happen.
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_pending:
        raise Conflict(_("This invitation has already been accepted."))
    return membership


@transaction.atomic
def invitation_accept(
    *, user: User, membership: Membership, full_name: str | None = None, password: str | None = None
) -> Membership:
    """The invitee joins the organization. A person without a password yet (a new login) chooses their name and
    password in the same step; anyone else must already be signed in as the invitee."""
    locked = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if locked is None:
        raise NotFound(_("This invitation was withdrawn."))
    if locked.user_id != user.pk:
        raise NotTheInvitee(_("This invitation is for another account."))
    if not locked.is_pending:
        return locked  # accepted already, from another tab: nothing more to do
    if password is not None:
        if user.has_usable_password():
            raise NotTheInvitee(_("This account already has a password: sign in to accept the invitation."))
        user.full_name = (full_name or "").strip() or user.full_name
        user.set_password(password)
        # A new login reads Hearth in the language it was invited in; an existing account keeps its own choice.
        user.preferred_language = locked.invited_language or user.preferred_language
        user.save(update_fields=["full_name", "password", "preferred_language"])
    locked.accepted_at = timezone.now()
    locked.is_active = True
    locked.save(update_fields=["accepted_at", "is_active"])
    return locked


@transaction.atomic
def invitation_withdraw(*, actor: Membership, membership: Membership) -> None:
    """Takes back an invitation not yet accepted. The row is deleted, since it never did anything; a resident's link
    to it is cleared with it. The invitee's login, if they had one, is untouched."""
    _require_may_manage(actor, membership)
    membership = _pending(membership)
    membership.delete()


@transaction.atomic
def invitation_resend(*, actor: Membership, membership: Membership, base_url: str) -> Membership:
    """E-mails the invitee a fresh link (the earlier one keeps working until it expires)."""
    _require_may_manage(actor, membership)
    membership = _pending(membership)
    enqueue_on_commit(tasks.send_invitation, membership.pk, base_url)
    return membership
