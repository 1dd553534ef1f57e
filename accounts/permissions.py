"""Who may call what. Object scope is the queryset's job (``visible_to``); these classes decide by role."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import Role


class IsMember(BasePermission):
    """Authenticated and acting within an organization they belong to."""

    message = _("You are not a member of this organization.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and getattr(request, "viewer", None))


class RolePermission(IsMember):
    """Reads by ``read_roles``, writes by ``write_roles``; a view may narrow per action with ``action_roles``."""

    read_roles = frozenset(Role) - {Role.REFERRER}
    write_roles = frozenset({Role.OPERATOR})

    def allowed_roles(self, request, view):
        action_roles = getattr(view, "action_roles", {})
        if getattr(view, "action", None) in action_roles:
            return action_roles[view.action]
        if request.method in SAFE_METHODS:
            return getattr(view, "read_roles", self.read_roles)
        return getattr(view, "write_roles", self.write_roles)

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.viewer.role in self.allowed_roles(request, view):
            return True
        self.message = f"A {request.viewer.get_role_display().lower()} cannot do this."
        return False


STAFF = frozenset({Role.OPERATOR, Role.MANAGER})
OPERATORS = frozenset({Role.OPERATOR})
# Everyone of the organization's own people; referral partners reach only their own pages (vacancies.partners).
EVERYONE = frozenset(Role) - {Role.REFERRER}
