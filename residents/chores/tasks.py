"""The weekly chore rotation as Celery tasks: each takes ids and calls one plain, idempotent service.

Task names stay ``residents.tasks.*``: queued tasks and the beat schedule name them."""

from celery import shared_task

from accounts.models import Organization
from accounts.queue import enqueue
from accounts.tenancy import organization_clock
from houses.models import House
from residents.chores import services as chore_services


@shared_task(name="residents.tasks.chore_rotation_generate_next_week")
def chore_rotation_generate_next_week() -> int:
    """Weekly beat job: queues next week's chore rotation for every active house, one task per house."""
    house_ids = list(House.objects.filter(status=House.Status.ACTIVE).order_by("pk").values_list("pk", flat=True))
    for house_id in house_ids:
        enqueue(chore_rotation_generate_for_house, house_id)
    return len(house_ids)


@shared_task(name="residents.tasks.chore_rotation_generate_for_house")
def chore_rotation_generate_for_house(house_id: int) -> int:
    """Next week's rotation for one house; returns how many assignments it created (0 on a repeat run)."""
    with organization_clock(Organization.objects.get(houses__pk=house_id)):
        result = chore_services.chore_rotation_generate_next_week(house_id=house_id)
    return result.created if result else 0
