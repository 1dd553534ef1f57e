from django.db import IntegrityError, transaction

from . import tasks
from .exceptions import DomainError
from .models import Membership, Organization, User


@transaction.atomic
def membership_invite(
    *, actor: User, organization: Organization, email: str, full_name: str, role: str, base_url: str
) -> Membership:
    """Invites a person into the organization: a pending membership that grants nothing until they accept through
    the signed link e-mailed to them. A new address gets a login without a password (they choose one on accepting);
    an existing account is left untouched and its name is never shown to the inviter, who sees the name they typed.
    Someone already in the organization (or already invited) is not invited twice."""
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and Membership.objects.filter(user=user, organization=organization).exists():
        raise DomainError("This person is already a member of the organization.", field="email", status_code=409)
    try:
        # Two invitations of one address at the same moment: the database's unique constraints decide, and the
        # loser hears why instead of seeing an error page.
        with transaction.atomic():
            if user is None:
                user = User.objects.create_user(email=email, password=None, full_name=full_name)
            membership = Membership.objects.create(
                user=user,
                organization=organization,
                role=role,
                is_active=False,
                accepted_at=None,
                invited_name=full_name,
                invited_by=actor,
            )
    except IntegrityError:
        raise DomainError(
            "This person was invited a moment ago. Reload the page to see the invitation.",
            field="email",
            status_code=409,
        ) from None
    transaction.on_commit(lambda: tasks.send_invitation.delay(membership.pk, base_url))
    return membership


@transaction.atomic
def membership_update(*, actor: Membership, membership: Membership, **changes) -> Membership:
    if membership.pk == actor.pk and (
        changes.get("role", membership.role) != membership.role or changes.get("is_active") is False
    ):
        raise DomainError("You cannot change your own role or deactivate yourself.", field="role")
    if membership.is_pending and "is_active" in changes and changes["is_active"] != membership.is_active:
        # Only the invitee turns an invitation into access, by accepting it.
        raise DomainError(
            "This invitation has not been accepted yet. Withdraw it, or send it again.",
            field="is_active",
            status_code=409,
        )
    for name, value in changes.items():
        setattr(membership, name, value)
    membership.save()
    return membership
