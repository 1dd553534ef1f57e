"""Which organization a request acts within, and as which member.

A user may belong to several organizations; each request acts within exactly one. API clients name it with the
``X-Organization`` header (the organization's slug); pages remember the one chosen in the switcher in the session.
Without either, the user's oldest active membership is used.
"""

from django.db import models
from django.utils import timezone

from .models import Membership

ORGANIZATION_HEADER = "X-Organization"
SESSION_KEY = "organization_id"


class TenantQuerySet(models.QuerySet):
    """A queryset that scopes itself to what a viewer (a Membership) may see.

    Subclasses name the path from the model to its organization and to its house; managers are narrowed to their
    houses, residents to whatever ``for_resident`` allows (nothing, unless a model says otherwise).
    """

    organization_path = "organization"
    house_path: str | None = "house"

    def visible_to(self, viewer):
        qs = self.filter(**{f"{self.organization_path}_id": viewer.organization_id})
        if viewer.is_operator:
            return qs
        if viewer.is_manager:
            if self.house_path is None:
                return qs.none()
            staff = f"{self.house_path}__staff" if self.house_path else "staff"
            return qs.filter(**{staff: viewer})
        return self.for_resident(qs, viewer)

    def for_resident(self, qs, viewer):
        return qs.none()


def memberships_of(user):
    """The memberships a user may act as: active and accepted (an invitation grants nothing until accepted)."""
    memberships = Membership.objects.active().filter(user=user, accepted_at__isnull=False)
    return memberships.select_related("organization", "user").order_by("created_at")


def resolve_viewer(request, user) -> Membership | None:
    """The membership this request acts as, or None when the user belongs to no (such) organization."""
    if not user or not user.is_authenticated:
        return None
    memberships = memberships_of(user)
    slug = request.headers.get(ORGANIZATION_HEADER)
    if slug:
        return memberships.filter(organization__slug=slug).first()
    session = getattr(request, "session", None)
    chosen = session.get(SESSION_KEY) if session is not None else None
    if chosen:
        membership = memberships.filter(organization_id=chosen).first()
        if membership:
            return membership
    return memberships.first()


def organization_clock(organization):
    """Runs the block on the organization's clock: ``localtime()``, ``__date`` lookups, form and serializer times
    read and show its time zone. Every channel enters it: the page middleware, the API view once the token or
    session is read, and every background job or command that works for one organization."""
    return timezone.override(organization.tzinfo)
