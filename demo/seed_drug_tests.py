"""Demo drug testing: house policies, intake tests at admission, and weekly random draws with their tests.

Eight past weeks of draws per house, nearly all fulfilled (mostly negative; a couple positive, one dilute, one
refused, one still pending at the lab), two requests from last week left overdue, and this week's draw open.
Deterministic (fixed seeds) and idempotent: once the organization has a draw, nothing is added.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts import calendar
from accounts.models import Organization, Role
from houses.models import House
from residents.core.selectors.nights import residence_on_day
from residents.models import Draw, DrugTest, DrugTestPolicy, Stay, TestRequest
from residents.testing.services import drug_test_draws as draw_services
from residents.testing.services import drug_tests as test_services

TWELVE_PANEL = [
    "amphetamines", "barbiturates", "benzodiazepines", "buprenorphine", "cocaine", "thc", "methadone",
    "methamphetamine", "mdma", "opiates", "oxycodone", "pcp",
]  # fmt: skip
SALIVA_PANEL = ["amphetamines", "cocaine", "thc", "methamphetamine", "opiates", "pcp"]
POSITIVES = [["thc"], ["opiates", "fentanyl"], ["cocaine"], ["methamphetamine", "amphetamines"]]


def _at(organization: Organization, day: date, rng: random.Random) -> datetime:
    moment = datetime.combine(day, time(rng.randint(7, 20), rng.choice([0, 15, 30, 45])), tzinfo=organization.tzinfo)
    return min(moment, timezone.now() - timedelta(minutes=1))


def _collector(house: House, organization: Organization):
    manager = house.staff.filter(is_active=True).select_related("user").first()
    if manager is not None:
        return manager
    return organization.memberships.filter(role=Role.OPERATOR).select_related("user").first()


def seed_intake_tests(organization: Organization, rng: random.Random) -> None:
    """Every stay starts with an intake test on its first day, nearly always negative."""
    stays = Stay.objects.filter(organization=organization).select_related("resident", "admitted_to")
    for stay in stays.order_by("move_in"):
        if DrugTest.objects.filter(stay=stay, reason="intake").exists():
            continue
        test_services.drug_test_record(
            actor=_collector(stay.admitted_to, organization), resident=stay.resident,  # staff of the house then
            collected_at=_at(organization, stay.move_in, rng), method="urine_cup", reason="intake",
            panel=[*TWELVE_PANEL, "fentanyl", "alcohol"], result="negative", notes="Intake screen at admission.",
        )  # fmt: skip


def _outcome(rng: random.Random, special: str | None) -> dict:
    full = [*TWELVE_PANEL, "fentanyl"]
    lab = f"LC-{rng.randint(100000, 999999)}"
    outcomes = {
        "positive": {
            "method": "urine_cup", "panel": full, "result": "positive", "positive_substances": rng.choice(POSITIVES),
            "notes": "Resident disputes the result; sent for confirmation.",
        },
        "pending_lab": {
            "method": "lab_urine", "panel": [*full, "kratom"], "result": "pending_lab", "lab_reference": lab,
        },
        "dilute": {
            "method": "urine_cup", "panel": TWELVE_PANEL, "result": "dilute",
            "notes": "Specific gravity low; retest scheduled.",
        },
        "refused": {
            "method": "urine_cup", "panel": TWELVE_PANEL, "result": "refused",
            "notes": "Declined to provide a sample; house manager informed the operator.",
        },
    }  # fmt: skip
    if special:
        return outcomes[special]
    kind = rng.random()
    if kind < 0.15:
        return {"method": "saliva", "panel": SALIVA_PANEL, "result": "negative"}
    if kind < 0.25:
        return {"method": "lab_urine", "panel": full, "result": "negative", "lab_reference": lab}
    return {"method": "urine_cup", "panel": full, "result": "negative"}


def seed(organization: Organization, *, weeks: int = 8) -> None:
    if Draw.objects.filter(organization=organization).exists():
        return
    rng = random.Random(f"hearth-drug-tests-{organization.slug}")  # same draws and results every time
    today = organization.today()
    houses = list(House.objects.filter(organization=organization, status=House.Status.ACTIVE).order_by("pk"))
    for house in houses:
        DrugTestPolicy.objects.get_or_create(
            house=house, defaults={"organization": organization, "percentage": 25, "due_days": 2}
        )
    seed_intake_tests(organization, rng)
    this_monday = calendar.week_start(today)
    for weeks_ago in range(weeks, -1, -1):
        for house in houses:
            draw_services.drug_test_draw(
                actor=_collector(house, organization), house=house,
                week_start=this_monday - timedelta(days=7 * weeks_ago), seed=rng.getrandbits(63),
            )  # fmt: skip
    # Past weeks' requests are answered, oldest first; last week's two are left overdue.
    past = list(
        TestRequest.objects.filter(organization=organization, draw__week_start__lt=this_monday)
        .select_related("draw", "house", "resident", "stay")
        .order_by("draw__week_start", "house_id", "pk")
    )
    last_week = [request for request in past if request.draw.week_start == this_monday - timedelta(days=7)]
    overdue = set(rng.sample([request.pk for request in last_week], min(2, len(last_week))))
    answered = [request for request in past if request.pk not in overdue]
    specials = {}
    if weeks >= 4 and len(answered) >= 10:
        recent = [
            index
            for index, request in enumerate(answered)
            if request.draw.week_start >= this_monday - timedelta(days=14)
        ]
        specials[rng.choice(recent)] = "pending_lab"
        earlier = [index for index in range(len(answered)) if index not in specials]
        for index, kind in zip(rng.sample(earlier, 4), ["positive", "positive", "dilute", "refused"], strict=True):
            specials[index] = kind
    for index, request in enumerate(answered):
        day = request.requested_on + timedelta(
            days=rng.randint(0, request.due_on.toordinal() - request.requested_on.toordinal())
        )
        if request.stay.move_out is not None:
            day = min(day, request.stay.move_out)
        day = min(day, today)
        # The collector runs the house the resident was in that day (a transfer since the draw moves them).
        residence = residence_on_day(resident=request.resident, day=day)
        test_services.drug_test_record(
            actor=_collector(residence.bed.house if residence else request.house, organization),
            resident=request.resident, collected_at=_at(organization, day, rng), reason="random",
            **_outcome(rng, specials.get(index)),
        )  # fmt: skip
