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
from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import calendar
from accounts.exceptions import Invalid
from accounts.models import Membership
from houses.models import House
from residents.core.selectors.nights import occupants, residents_of
from residents.core.services.roles import require_staff
from residents.models import Draw, DrugTestPolicy, Resident, TestReason, TestRequest

# Houses drawn per transaction by the weekly job: each batch holds its house locks for a moment only.
HOUSES_PER_TRANSACTION = 1000


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
    draw = _new_draw(
        house, policy, week_start=week_start, today=today, percentage=percentage, seed=seed,
        drawn_by=actor.user if actor is not None else None,
        sleeping=lambda night: residents_of(house=house, night=night),
    )  # fmt: skip
    draw.save()
    TestRequest.objects.bulk_create(_requests_of(draw, policy))
    return draw, True


def _new_draw(house: House, policy: DrugTestPolicy, *, week_start, today, percentage, seed, drawn_by, sleeping) -> Draw:
    """The week's draw for a house, unsaved; ``sleeping(night)`` answers {resident id: stay id} for the house."""
    population_on = today if today <= week_start + timedelta(days=6) else week_start
    stays = sleeping(population_on)  # {resident id: the stay of that night}
    population = sorted(stays)
    count = draw_count(len(population), percentage)
    seed = secrets.randbits(63) if seed is None else seed
    draw = Draw(
        organization_id=house.organization_id,
        house=house,
        week_start=week_start,
        population_on=population_on,
        seed=seed,
        population=population,
        percentage=percentage,
        count=count,
        selected=_sample(seed, population, count),
        drawn_by=drawn_by,
    )
    draw.stays = stays
    return draw


def _requests_of(draw: Draw, policy: DrugTestPolicy) -> list[TestRequest]:
    """Each drawn resident's random-test request, due ``policy.due_days`` after the population night."""
    due_on = draw.population_on + timedelta(days=policy.due_days)
    return [
        TestRequest(
            organization_id=draw.organization_id,
            resident_id=resident_id,
            stay_id=draw.stays[resident_id],
            house_id=draw.house_id,
            reason=TestReason.RANDOM,
            requested_on=draw.population_on,
            due_on=due_on,
            draw=draw,
            created_by=draw.drawn_by,
        )
        for resident_id in draw.selected
    ]


def draw_replay(draw: Draw) -> list[Resident]:
    """Re-runs the stored draw from its seed, population and count; the residents come back in draw order."""
    ids = _sample(draw.seed, list(draw.population), draw.count)
    residents = Resident.objects.in_bulk(ids)
    return [residents[pk] for pk in ids]


def drug_test_draws_for_all_houses() -> int:
    """The weekly job: draws this week for every active house whose policy allows it. Returns draws made.

    Idempotent (one draw per house and week), so running it daily only fills in weeks not yet drawn, whatever
    each organization's time zone. The houses still to draw are found in two queries, and drawn
    ``HOUSES_PER_TRANSACTION`` at a time in a fixed number of queries, exactly as ``drug_test_draw`` draws one.
    """
    houses = (
        House.objects.filter(status=House.Status.ACTIVE)
        .exclude(drug_test_policy__random_draws_enabled=False)
        .select_related("organization")
        .order_by("pk")
    )
    today, weeks = {}, {}
    houses = list(houses)
    for house in houses:
        if house.organization_id not in today:
            today[house.organization_id] = house.organization.today()
            weeks[house.organization_id] = calendar.week_start(today[house.organization_id])
    drawn = set(
        Draw.objects.filter(house__in=[house.pk for house in houses], week_start__in=set(weeks.values())).values_list(
            "house_id", "week_start"
        )
    )
    to_draw = [house.pk for house in houses if (house.pk, weeks[house.organization_id]) not in drawn]
    made = 0
    for index in range(0, len(to_draw), HOUSES_PER_TRANSACTION):
        made += _draw_houses(to_draw[index : index + HOUSES_PER_TRANSACTION])
    return made


@transaction.atomic
def _draw_houses(house_ids: list[int]) -> int:
    # One draw per house and week: the house locks (in id order) serve this run and any other draw one after the other.
    houses = list(
        House.objects.select_for_update(of=("self",))
        .filter(pk__in=house_ids, status=House.Status.ACTIVE)
        .select_related("organization")
        .order_by("pk")
    )
    today = {house.organization_id: house.organization.today() for house in houses}
    week = {house.pk: calendar.week_start(today[house.organization_id]) for house in houses}
    drawn = set(
        Draw.objects.filter(house__in=[house.pk for house in houses], week_start__in=set(week.values())).values_list(
            "house_id", "week_start"
        )
    )
    houses = [house for house in houses if (house.pk, week[house.pk]) not in drawn]
    if not houses:
        return 0
    policies = {policy.house_id: policy for policy in DrugTestPolicy.objects.filter(house__in=houses)}
    sleeping = defaultdict(dict)  # (house id, night) -> {resident id: stay id}
    for night in set(today.values()):  # the current week's population sleeps there tonight
        rows = occupants(night=night, houses=[house.pk for house in houses])
        for house_id, resident_id, stay_id in rows.values_list("bed__house_id", "stay__resident_id", "stay_id"):
            sleeping[house_id, night][resident_id] = stay_id
    draws = []
    for house in houses:
        policy = policies.get(house.pk) or DrugTestPolicy(organization_id=house.organization_id, house=house)
        draw = _new_draw(
            house, policy, week_start=week[house.pk], today=today[house.organization_id],
            percentage=policy.percentage, seed=None, drawn_by=None,
            sleeping=lambda night, house=house: sleeping[house.pk, night],
        )  # fmt: skip
        draw.policy = policy
        draws.append(draw)
    Draw.objects.bulk_create(draws, ignore_conflicts=True)
    # PostgreSQL gives no ids back for rows it may have skipped: read the new draws again, known by their seeds.
    saved = {
        (draw.house_id, draw.seed): draw
        for draw in Draw.objects.filter(house__in=houses, week_start__in=set(week.values()))
    }
    requests, made = [], 0
    for draw in draws:
        row = saved.get((draw.house_id, draw.seed))
        if row is None:
            continue  # drawn meanwhile by someone else
        draw.pk, made = row.pk, made + 1
        requests += _requests_of(draw, draw.policy)
    TestRequest.objects.bulk_create(requests, batch_size=1000)
    return made
