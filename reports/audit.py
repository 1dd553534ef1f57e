"""Audit entries for month closes: who closed or reopened which month, and why it was reopened. Written by the close
and reopen services inside their transaction, so a close never exists without its entry, whatever the channel (page,
API, command)."""

from accounts.audit import Action, client_ip
from accounts.models import AuditEntry, Membership

from .metrics import Month
from .models import MonthClose


def month_close_audit(close: MonthClose, *, actor: Membership, reopened: bool, request=None) -> AuditEntry:
    """One entry for a close (``create``) or a reopening (``update``, with its reason). ``request``, when the change
    came through one, gives the address and path."""
    label = Month.of(close.month).label
    return AuditEntry.objects.create(
        actor=actor.user,
        organization_id=close.organization_id,
        action=Action.UPDATE if reopened else Action.CREATE,
        object_type=MonthClose._meta.label_lower,
        object_id=str(close.pk),
        ip_address=client_ip(request) if request is not None else None,
        path=request.get_full_path()[:500] if request is not None else "",
        detail=f"Reopened {label}: {close.reopen_reason}" if reopened else f"Closed {label}",
    )
