"""Applications as the pages list them: filtered by status and house, and counted per house's waitlist."""

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
    """The applications a member may see (the API's rows), each with its history and who took each step."""
    return Application.objects.visible_to(viewer).prefetch_related("events__actor")


def applications_list(*, viewer: Membership, status: str = "", house: str | int | None = None) -> QuerySet:
    """Applications the viewer may see, oldest first. ``status`` is a status or ``waiting`` (waitlisted or
    accepted); ``house`` a preferred house id or ``none`` (no preference)."""
    applications = Application.objects.visible_to(viewer).select_related("preferred_house")
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
