"""Applicants at every stage, so the waitlist and intake pages have people on them."""

import random
from datetime import timedelta

from accounts.models import Organization, Role
from houses.models import House
from residents.core.services.applications import application_create, application_move
from residents.models import Application

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
