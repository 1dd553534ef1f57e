from django.db import transaction

from . import tasks
from .exceptions import DomainError
from .models import Membership, Organization, User


@transaction.atomic
def membership_invite(
    *, actor: User, organization: Organization, email: str, full_name: str, role: str, base_url: str
) -> Membership:
    """Adds a person to the organization, creating their login if they have none, and e-mails them a link to set
    their password. Someone already in the organization is not added twice."""
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
    if Membership.objects.filter(user=user, organization=organization).exists():
        raise DomainError("This person is already a member of the organization.", field="email", status_code=409)
    membership = Membership.objects.create(user=user, organization=organization, role=role)
    transaction.on_commit(lambda: tasks.send_invitation.delay(membership.pk, base_url))
    return membership


@transaction.atomic
def membership_update(*, actor: Membership, membership: Membership, **changes) -> Membership:
    if membership.pk == actor.pk and (
        changes.get("role", membership.role) != membership.role or changes.get("is_active") is False
    ):
        raise DomainError("You cannot change your own role or deactivate yourself.", field="role")
    for name, value in changes.items():
        setattr(membership, name, value)
    membership.save()
    return membership
