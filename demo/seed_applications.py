"""Applicants at every stage, so the waitlist and intake pages have people on them."""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Organization, Role
from houses.models import House
from residents.core.services.applications import application_create, application_move
from residents.models import Application, ApplicationEvent

APPLICANTS = [
    # first, last, gender preference, house index or None, days ago, path of statuses
    ("Terrence", "Hollis", "men", 0, 21, ["screening", "waitlisted"]),
    ("Gabriel", "Ortiz", "men", 0, 14, ["screening", "waitlisted"]),
    ("Devon", "Price", "men", None, 9, ["screening", "waitlisted", "accepted"]),
    ("Alicia", "Ramos", "women", 1, 18, ["screening", "waitlisted"]),
    ("Renee", "Carter", "women", 1, 6, ["screening"]),
    ("Jasmine", "Ford", "women", None, 2, []),
    ("Chris", "Nolan", "", 2, 11, ["screening", "accepted"]),
    ("Pat", "Greene", "", 2, 30, ["screening", "declined"]),
    ("Morgan", "Hale", "men", 0, 40, ["withdrawn"]),
]


def seed(organization: Organization) -> None:
    if Application.objects.filter(organization=organization).exists():
        return
    operator = organization.memberships.filter(role=Role.OPERATOR).select_related("user", "organization").first()
    houses = list(House.objects.filter(organization=organization).order_by("pk"))
    rng = random.Random(f"applications-{organization.slug}")
    clock = random.Random(f"application-times-{organization.slug}")  # apart, so the people stay the same
    today = organization.today()
    for first, last, gender, house_index, days_ago, path in APPLICANTS:
        application = application_create(
            actor=operator,
            first_name=first,
            last_name=last,
            phone=f"(555) {rng.randint(200, 899)}-{rng.randint(1000, 9999)}",
            email=f"{first}.{last}@example.net".lower(),
            preferred_gender=gender,
            preferred_house=houses[house_index] if house_index is not None else None,
            referral_source=rng.choice(["County detox", "Drug court", "Self-referral", "Hope Treatment Center"]),
            applied_on=today - timedelta(days=days_ago),
            sobriety_date=today - timedelta(days=days_ago + rng.randint(10, 60)),
        )
        for status in path:
            note = "No bed for a co-ed placement before the move-in date asked" if status == "declined" else ""
            application = application_move(actor=operator, application=application, to=status, note=note)
        _date(application, path, clock)


def _date(application: Application, path: list[str], clock: random.Random) -> None:
    """Response times that fit the day they applied: arrived that day at an hour people call, first answered some
    hours later (the first step), each later step a day or two after the one before (the services stamp now)."""
    zone = application.organization.tzinfo
    received_at = datetime.combine(application.applied_on, time(clock.randint(8, 21), clock.choice([0, 15, 30, 45])),
                                   zone)  # fmt: skip
    times, at = [received_at], received_at + timedelta(hours=clock.randint(2, 28))
    for _status in path:
        times.append(at)
        at += timedelta(hours=clock.randint(24, 60))
    now = timezone.now()
    times = [min(moment, now - timedelta(minutes=30)) for moment in times]
    events = ApplicationEvent.objects.filter(application=application).order_by("pk").values_list("pk", flat=True)
    for pk, moment in zip(list(events), times, strict=False):
        ApplicationEvent.objects.filter(pk=pk).update(at=moment)
    decided = [moment for status, moment in zip(path, times[1:], strict=True) if status in Application.DECIDED]
    Application.objects.filter(pk=application.pk).update(
        received_at=received_at,
        first_contacted_at=times[1] if path else None,
        decided_at=decided[0] if decided else None,
        status_changed_at=times[-1],
    )
