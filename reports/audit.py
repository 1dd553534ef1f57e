"""Audit entries for month closes: who closed or reopened which month, and why it was reopened. Written the same by
the reports page and the API."""

from accounts.audit import Action, record

from .metrics import Month
from .models import MonthClose


def month_close_audit(request, close: MonthClose, *, reopened: bool) -> None:
    label = Month.of(close.month).label
    detail = f"Reopened {label}: {close.reopen_reason}" if reopened else f"Closed {label}"
    record(
        request=request,
        viewer=request.viewer,
        action=Action.UPDATE if reopened else Action.CREATE,
        model=MonthClose,
        object_ids=[close.pk],
        detail=detail,
    )
