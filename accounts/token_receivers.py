"""Every API token of a user dies when their password changes, when they are deactivated, and when their last active
membership ends, by whichever path: the password change and reset pages, the Django admin, a service, a command.

Watched on the models' own saves and deletes, so no caller can forget; only a bulk ``QuerySet.update()`` would
bypass them, and none changes passwords, users' ``is_active`` or memberships' ``is_active``.
"""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from .models import Membership, User
from .tenancy import memberships_of
from .tokens import tokens_revoke_all

CREDENTIAL_FIELDS = frozenset({"password", "is_active"})


@receiver(pre_save, sender=User, dispatch_uid="accounts.tokens.user_saving")
def _note_changed_credentials(sender, instance: User, raw=False, update_fields=None, **kwargs):
    instance._revokes_api_tokens = False
    if raw or instance._state.adding or (update_fields is not None and not CREDENTIAL_FIELDS & update_fields):
        return
    before = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    # Django re-hashes a password on sign-in when its hasher is upgraded: the same password, not a change.
    rehashed = instance._password is None and update_fields == {"password"}
    password_changed = before["password"] != instance.password and not rehashed
    deactivated = before["is_active"] and not instance.is_active
    instance._revokes_api_tokens = password_changed or deactivated


@receiver(post_save, sender=User, dispatch_uid="accounts.tokens.user_saved")
def _revoke_on_changed_credentials(sender, instance: User, **kwargs):
    if getattr(instance, "_revokes_api_tokens", False):
        instance._revokes_api_tokens = False
        tokens_revoke_all(user=instance)


# "Active" is what a request may act as (``memberships_of``): a pending invitation neither counts as one left nor
# ends anything when it is withdrawn.
def _was_active(membership: Membership) -> bool:
    return memberships_of(membership.user_id).filter(pk=membership.pk).exists()


def _revoke_if_no_membership_left(membership: Membership) -> None:
    if not memberships_of(membership.user_id).exists():
        tokens_revoke_all(user=membership.user)


@receiver(pre_save, sender=Membership, dispatch_uid="accounts.tokens.membership_saving")
def _note_membership_before_save(sender, instance: Membership, raw=False, **kwargs):
    instance._was_active_before_save = not raw and not instance._state.adding and _was_active(instance)


@receiver(post_save, sender=Membership, dispatch_uid="accounts.tokens.membership_saved")
def _revoke_when_the_last_membership_ends(sender, instance: Membership, **kwargs):
    if getattr(instance, "_was_active_before_save", False):
        instance._was_active_before_save = False
        _revoke_if_no_membership_left(instance)


@receiver(pre_delete, sender=Membership, dispatch_uid="accounts.tokens.membership_deleting")
def _note_membership_before_delete(sender, instance: Membership, **kwargs):
    instance._was_active_before_delete = _was_active(instance)


@receiver(post_delete, sender=Membership, dispatch_uid="accounts.tokens.membership_deleted")
def _revoke_when_the_last_membership_is_deleted(sender, instance: Membership, **kwargs):
    if getattr(instance, "_was_active_before_delete", False):
        _revoke_if_no_membership_left(instance)
