"""Reads of accounts data that pages share: the staff list and the audit log."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet

from .models import AuditEntry, Membership, User


def memberships_list(*, viewer: Membership, role: str = "", active: bool | None = None) -> QuerySet[Membership]:
    """Memberships the viewer may see (an operator: the whole organization), with user and houses, by name."""
    memberships = Membership.objects.visible_to(viewer).select_related("user").prefetch_related("houses")
    if role:
        memberships = memberships.filter(role=role)
    if active is not None:
        memberships = memberships.filter(is_active=active)
    return memberships.order_by("role", "user__full_name", "user__email", "pk")


def audit_entries(
    *,
    viewer: Membership,
    actor: User | None = None,
    action: str = "",
    object_type: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """The organization's audit log, newest first, narrowed by who, what action, which kind of record and a range of
    days (``since`` to ``until`` inclusive, days in the organization's time zone). Operators only; others see none."""
    entries = AuditEntry.objects.visible_to(viewer).select_related("actor")
    if actor is not None:
        entries = entries.filter(actor=actor)
    if action:
        entries = entries.filter(action=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    zone = viewer.organization.tzinfo
    if since:
        entries = entries.filter(at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        entries = entries.filter(at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone))
    return entries.order_by("-at", "-pk")


def audit_actors(*, viewer: Membership) -> QuerySet[User]:
    """People who may appear in the organization's audit log: its members, past and present."""
    return User.objects.filter(memberships__organization_id=viewer.organization_id).distinct().order_by("full_name")


def audit_object_types(*, viewer: Membership) -> list[str]:
    """The kinds of record the organization's audit log mentions."""
    entries = AuditEntry.objects.visible_to(viewer)
    return sorted(set(entries.values_list("object_type", flat=True).distinct()))
