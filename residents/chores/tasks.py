"""The weekly chore rotation as Celery tasks: each takes ids and calls one plain, idempotent service.

Task names stay ``residents.tasks.*``: queued tasks and the beat schedule name them."""

from itertools import groupby

from celery import shared_task

from accounts.models import Organization
from accounts.queue import enqueue
from accounts.tenancy import organization_clock
from houses.models import House
from residents.chores import services as chore_services

# Houses per task: each task rotates its houses in a fixed number of queries and one short transaction.
HOUSES_PER_TASK = 1000


@shared_task(name="residents.tasks.chore_rotation_generate_next_week")
def chore_rotation_generate_next_week() -> int:
    """Weekly beat job: queues next week's chore rotation for every active house it would change (read for all of
    them at once), ``HOUSES_PER_TASK`` houses of one organization per task. Returns how many houses it queued."""
    active = House.objects.filter(status=House.Status.ACTIVE).values_list("pk", flat=True)
    changing = chore_services.chore_rotation_houses_with_work(house_ids=active)
    rows = House.objects.filter(pk__in=changing).order_by("organization_id", "pk")
    queued = 0
    for _organization_id, houses in groupby(rows.values_list("organization_id", "pk"), key=lambda row: row[0]):
        house_ids = [house_id for _organization, house_id in houses]
        for index in range(0, len(house_ids), HOUSES_PER_TASK):
            enqueue(chore_rotation_generate_for_houses, house_ids[index : index + HOUSES_PER_TASK])
        queued += len(house_ids)
    return queued


@shared_task(name="residents.tasks.chore_rotation_generate_for_houses")
def chore_rotation_generate_for_houses(house_ids: list[int]) -> int:
    """Next week's rotation for houses of one organization; returns how many assignments it created (0 on a repeat
    run)."""
    organization = Organization.objects.filter(houses__pk__in=house_ids).first()
    if organization is None:
        return 0
    with organization_clock(organization):
        return chore_services.chore_rotation_generate_houses(house_ids=house_ids)


@shared_task(name="residents.tasks.chore_rotation_generate_for_house")
def chore_rotation_generate_for_house(house_id: int) -> int:
    """Next week's rotation for one house; returns how many assignments it created (0 on a repeat run)."""
    with organization_clock(Organization.objects.get(houses__pk=house_id)):
        result = chore_services.chore_rotation_generate_next_week(house_id=house_id)
    return result.created if result else 0
