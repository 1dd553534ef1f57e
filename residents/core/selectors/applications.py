"""Applications as the pages list them: filtered by status and house, counted per house's waitlist, and how long
each waited for a reply."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Membership
from residents.core.models.applications import fits_house
from residents.models import Application, ApplicationEvent

WAITING = "waiting"
NO_HOUSE = "none"
STATUS_FILTER_CHOICES = [
    (WAITING, "Waiting (waitlisted or accepted)"),
    *Application.Status.choices,
]


def applications_for(*, viewer: Membership) -> QuerySet[Application]:
    """The applications a member may see (the API's rows), each with its history and who took each step. An erased
    application is kept only for the month's figures: no page or API row shows it."""
    return Application.objects.visible_to(viewer).filter(erased_at__isnull=True).prefetch_related("events__actor")


def applications_list(*, viewer: Membership, status: str = "", house: str | int | None = None) -> QuerySet:
    """Applications the viewer may see, oldest first. ``status`` is a status or ``waiting`` (waitlisted or
    accepted); ``house`` a preferred house id or ``none`` (no preference)."""
    applications = Application.objects.visible_to(viewer).filter(erased_at__isnull=True)
    applications = applications.select_related("preferred_house")
    if status == WAITING:
        applications = applications.filter(status__in=Application.WAITING)
    elif status:
        applications = applications.filter(status=status)
    if house == NO_HOUSE:
        applications = applications.filter(preferred_house__isnull=True)
    elif house:
        applications = applications.filter(preferred_house_id=house)
    return applications.order_by("applied_on", "pk")


def waiting_count(*, viewer: Membership) -> int:
    """How many applications the viewer may see are waiting for a bed (waitlisted or accepted)."""
    return Application.objects.visible_to(viewer).filter(status__in=Application.WAITING).count()


def waitlist_size():
    """An annotation for a House queryset: the length of each house's waitlist (``waitlist_for``), in-query."""
    waiting = (
        Application.objects.filter(organization_id=OuterRef("organization_id"), status__in=Application.WAITING)
        .filter(fits_house(OuterRef("pk"), OuterRef("gender")))
        .order_by()
        .values("organization_id")
        .annotate(size=Count("pk"))
        .values("size")
    )
    return Coalesce(Subquery(waiting[:1], output_field=IntegerField()), 0)


def application_history(*, viewer: Membership, application: Application) -> QuerySet[ApplicationEvent]:
    """Every step of an application, oldest first, with who took it."""
    return ApplicationEvent.objects.visible_to(viewer).filter(application=application).select_related("actor")


# A first reply is due within two hours of an application arriving; after a day the applicant has likely gone
# elsewhere (case managers place people with whoever answers first).
REPLY_DUE_AFTER = timedelta(hours=2)
REPLY_OVERDUE_AFTER = timedelta(hours=24)


def whole_hours(start: datetime, end: datetime) -> int:
    """Full hours from ``start`` to ``end`` (never negative)."""
    return max(0, int((end - start).total_seconds() // 3600))


def hours_text(hours: int) -> str:
    if hours < 1:
        return "less than an hour"
    return f"{hours} hour{'' if hours == 1 else 's'}"


@dataclass(frozen=True)
class ReplyWait:
    """How long an application not yet replied to has waited: ``hours`` in full, and ``level``: ``ok`` under two
    hours, ``due`` from two hours, ``overdue`` from 24 hours."""

    hours: int
    level: str

    @property
    def text(self) -> str:
        return hours_text(self.hours)


def reply_wait(application: Application, *, now: datetime) -> ReplyWait | None:
    """How long ``application`` has waited for its first reply at ``now``; None once replied to, or once it left new
    (an application recorded before replies were kept, or withdrawn by the applicant, waits for no reply)."""
    if application.first_contacted_at is not None or application.status != Application.Status.NEW:
        return None
    waited = now - application.received_at
    level = "overdue" if waited >= REPLY_OVERDUE_AFTER else "due" if waited >= REPLY_DUE_AFTER else "ok"
    return ReplyWait(hours=whole_hours(application.received_at, now), level=level)


def awaiting_first_reply(*, viewer: Membership, now: datetime) -> list[tuple[Application, ReplyWait]]:
    """The dashboard's "Waiting for a first reply": applications the viewer may see that are new and nobody has
    contacted yet, oldest arrival first, each with how long it has waited at ``now``. One query."""
    applications = (
        Application.objects.visible_to(viewer)
        .filter(status=Application.Status.NEW, first_contacted_at__isnull=True, erased_at__isnull=True)
        .select_related("preferred_house")
        .order_by("received_at", "pk")
    )
    return [(application, reply_wait(application, now=now)) for application in applications]


def reply_facts(application: Application) -> dict:
    """An application's response times for its page: ``reply_hours`` (full hours from arrival to the first reply,
    None before it) and its words, ``reply_text``."""
    if application.first_contacted_at is None:
        return {"reply_hours": None, "reply_text": ""}
    hours = whole_hours(application.received_at, application.first_contacted_at)
    return {"reply_hours": hours, "reply_text": hours_text(hours)}
