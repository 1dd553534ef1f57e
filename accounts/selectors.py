"""Reads of accounts data that pages share: the staff list and the audit log."""

from datetime import date, datetime, time, timedelta

from django.db.models import Case, CharField, F, QuerySet, Value, When
from django.db.models.functions import Coalesce, Lower, NullIf

from .models import AuditEntry, Membership, User


def member_name(membership: Membership) -> str:
    """The name the organization sees for a member: until the invitation is accepted, the name the inviter typed (or
    the e-mail), never the name of the account behind the address, which belongs to the person, not the inviter."""
    if membership.is_pending:
        return membership.invited_name or membership.user.email
    return membership.user.get_full_name()


def membership_status(membership: Membership) -> str:
    """``invited`` (not accepted yet), ``active`` or ``inactive`` (deactivated)."""
    if membership.is_pending:
        return "invited"
    return "active" if membership.is_active else "inactive"


def with_shown_name(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    """Annotates ``shown_name`` (see ``member_name``) so that searching and sorting see only what the page shows."""
    return memberships.annotate(
        shown_name=Case(
            When(accepted_at__isnull=True, then=Coalesce(NullIf(F("invited_name"), Value("")), F("user__email"))),
            default=Coalesce(NullIf(F("user__full_name"), Value("")), F("user__email")),
            output_field=CharField(),
        )
    )


def memberships_for(*, viewer: Membership) -> QuerySet[Membership]:
    """Memberships the viewer may see (an operator: the whole organization), with user and houses, each with
    ``shown_name`` (``with_shown_name``) for searching and sorting."""
    memberships = Membership.objects.visible_to(viewer).select_related("user").prefetch_related("houses")
    return with_shown_name(memberships)


MEMBERSHIP_STATUSES = {
    "active": {"is_active": True, "accepted_at__isnull": False},
    "inactive": {"is_active": False, "accepted_at__isnull": False},
    "invited": {"accepted_at__isnull": True},
}


def memberships_list(*, viewer: Membership, role: str = "", status: str = "") -> QuerySet[Membership]:
    """Memberships the viewer may see (an operator: the whole organization), with user and houses, by the name the
    page shows; ``status`` is one of ``MEMBERSHIP_STATUSES``."""
    memberships = memberships_for(viewer=viewer)
    if role:
        memberships = memberships.filter(role=role)
    if status:
        memberships = memberships.filter(**MEMBERSHIP_STATUSES[status])
    return memberships.order_by("role", Lower("shown_name"), "pk")


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
    # An invitee who has not accepted did nothing here, and their account's name is not the organization's to see.
    members = User.objects.filter(
        memberships__organization_id=viewer.organization_id, memberships__accepted_at__isnull=False
    )
    return members.distinct().order_by("full_name")


def audit_object_types(*, viewer: Membership) -> list[str]:
    """The kinds of record the organization's audit log mentions."""
    entries = AuditEntry.objects.visible_to(viewer)
    return sorted(set(entries.values_list("object_type", flat=True).distinct()))
