"""Weekly random drug-test draws: reproducible, auditable, one per house per week.

How a draw is made (and how anyone can check it):
- The population is the sorted ids of the residents sleeping in the house on ``population_on``: today for the
  current week, the Monday for a past week. Future weeks cannot be drawn.
- ``count = ceil(len(population) * percentage / 100)``; the percentage is the house policy's unless given.
- ``selected = random.Random(seed).sample(population, count)`` with a fresh random seed, stored with the rest,
  so ``draw_replay(draw)`` re-runs it and gets the same residents.
- Each drawn resident gets a random-test request due ``policy.due_days`` after ``population_on``.
A second draw for the same house and week returns the first one unchanged.
"""

import random
import secrets
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import calendar
from accounts.exceptions import Invalid
from accounts.models import Membership
from houses.models import House
from residents.core.selectors.nights import residents_of
from residents.core.services.roles import require_staff
from residents.models import Draw, DrugTestPolicy, Resident, TestReason, TestRequest


def _sample(seed: int, population: list[int], count: int) -> list[int]:
    # The one place the draw algorithm lives: the draw and its replay both call it.
    return random.Random(seed).sample(population, count)


def draw_count(population_size: int, percentage: int) -> int:
    """Residents to draw: the percentage of the population, rounded up (integer arithmetic, no float error)."""
    return -(-population_size * percentage // 100)


@transaction.atomic
def drug_test_draw(
    *, actor: Membership | None, house: House, week_start: date, percentage: int | None = None, seed: int | None = None
) -> tuple[Draw, bool]:
    """Draws residents of ``house`` for random testing in the week starting ``week_start`` (a Monday).

    Returns ``(draw, created)``; when the week was already drawn, the existing draw and False. ``seed`` is for
    demo data and tests only: the API and the weekly job never pass one, so nobody chooses who is drawn.
    Staff of the house draw (``NotAllowed`` for anyone else); ``actor`` None is the weekly job.
    """
    if actor is not None:
        require_staff(actor, organization_id=house.organization_id, house=house)
    if week_start.weekday() != 0:
        raise Invalid(_("A draw week starts on a Monday."), field="week_start")
    today = house.organization.today()
    if week_start > today:
        raise Invalid(_("A future week cannot be drawn yet."), field="week_start")
    # One draw per house and week: lock the house so two callers are served one after the other.
    house = House.objects.select_for_update().select_related("organization").get(pk=house.pk)
    existing = Draw.objects.filter(house=house, week_start=week_start).first()
    if existing is not None:
        return existing, False
    if house.status != House.Status.ACTIVE:
        raise Invalid(_("%(name)s is closed.") % {"name": house.name}, field="house")
    policy = DrugTestPolicy.for_house(house)
    if percentage is None:
        percentage = policy.percentage
    if isinstance(percentage, bool) or not isinstance(percentage, int) or not 1 <= percentage <= 100:
        raise Invalid(_("The percentage is a whole number from 1 to 100."), field="percentage")
    drawn_by = actor.user if actor is not None else None
    population_on = today if today <= week_start + timedelta(days=6) else week_start
    sleeping = residents_of(house=house, night=population_on)  # {resident id: the stay of that night}
    population = sorted(sleeping)
    count = draw_count(len(population), percentage)
    seed = secrets.randbits(63) if seed is None else seed
    selected = _sample(seed, population, count)
    draw = Draw.objects.create(
        organization_id=house.organization_id,
        house=house,
        week_start=week_start,
        population_on=population_on,
        seed=seed,
        population=population,
        percentage=percentage,
        count=count,
        selected=selected,
        drawn_by=drawn_by,
    )
    due_on = population_on + timedelta(days=policy.due_days)
    TestRequest.objects.bulk_create(
        TestRequest(
            organization_id=house.organization_id,
            resident_id=resident_id,
            stay_id=sleeping[resident_id],
            house=house,
            reason=TestReason.RANDOM,
            requested_on=population_on,
            due_on=due_on,
            draw=draw,
            created_by=drawn_by,
        )
        for resident_id in selected
    )
    return draw, True


def draw_replay(draw: Draw) -> list[Resident]:
    """Re-runs the stored draw from its seed, population and count; the residents come back in draw order."""
    ids = _sample(draw.seed, list(draw.population), draw.count)
    residents = Resident.objects.in_bulk(ids)
    return [residents[pk] for pk in ids]


def drug_test_draws_for_all_houses() -> int:
    """The weekly job: draws this week for every active house whose policy allows it. Returns draws made.

    Idempotent (one draw per house and week), so running it daily only fills in weeks not yet drawn, whatever
    each organization's time zone.
    """
    made = 0
    houses = (
        House.objects.filter(status=House.Status.ACTIVE)
        .exclude(drug_test_policy__random_draws_enabled=False)
        .select_related("organization")
        .order_by("pk")
    )
    for house in houses:
        week_start = calendar.week_start(house.organization.today())
        _draw, created = drug_test_draw(actor=None, house=house, week_start=week_start)
        made += created
    return made
