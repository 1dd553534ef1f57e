"""Reads of payment alerts and of a resident's online payments for staff pages: the dashboard panel, an alert's
page, the resident page's online payments section."""

from datetime import datetime

from django.db.models import F, QuerySet
from django.utils import timezone

from accounts.models import Membership, Organization

from ..models import OnlinePayment, PaymentAlert


def open_payment_alerts(*, viewer: Membership) -> QuerySet[PaymentAlert]:
    """Open alerts the viewer may see (a manager: those of residents who lived in their houses), the nearest
    evidence deadline first, then the newest; joined for lists."""
    return (
        PaymentAlert.objects.visible_to(viewer)
        .open()
        .select_related("resident", "house", "organization")
        .order_by(F("evidence_due_by").asc(nulls_last=True), "-created_at", "-pk")
    )


def payment_alerts_for(*, viewer: Membership) -> QuerySet[PaymentAlert]:
    """Every alert the viewer may see, open or resolved, newest first."""
    return PaymentAlert.objects.visible_to(viewer).select_related("resident", "house", "organization", "online_payment")


def days_left(due_by: datetime | None, organization: Organization) -> int | None:
    """Whole days from the organization's today to the deadline's date there: 0 on the day, below 0 once passed."""
    if due_by is None:
        return None
    return (timezone.localdate(due_by, timezone=organization.tzinfo) - organization.today()).days


def resident_online_payments(*, viewer: Membership, resident_id: int) -> QuerySet[OnlinePayment]:
    """The resident's online payments that got somewhere (not checkouts left unpaid), newest first, for staff."""
    return (
        OnlinePayment.objects.visible_to(viewer)
        .filter(resident_id=resident_id)
        .exclude(status__in=[OnlinePayment.Status.CREATED, OnlinePayment.Status.EXPIRED])
        .select_related("payment")
    )
