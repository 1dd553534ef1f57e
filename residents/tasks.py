"""Celery wrappers around residents' services: each takes ids and calls one plain, idempotent service."""

from celery import shared_task

from accounts.models import Organization
from accounts.tenancy import organization_clock
from houses.models import House

from .services import chores as chore_services
from .services.drug_test_draws import drug_test_draws_for_all_houses


@shared_task
def draw_drug_tests_for_all_houses() -> int:
    """This week's random drug-test draw for every active house not yet drawn; returns how many were made. Each
    house's week is taken from its organization's date by the service."""
    return drug_test_draws_for_all_houses()


@shared_task
def chore_rotation_generate_next_week() -> int:
    """Weekly beat job: queues next week's chore rotation for every active house, one task per house."""
    house_ids = list(House.objects.filter(status=House.Status.ACTIVE).order_by("pk").values_list("pk", flat=True))
    for house_id in house_ids:
        chore_rotation_generate_for_house.delay(house_id)
    return len(house_ids)


@shared_task
def chore_rotation_generate_for_house(house_id: int) -> int:
    """Next week's rotation for one house; returns how many assignments it created (0 on a repeat run)."""
    with organization_clock(Organization.objects.get(houses__pk=house_id)):
        result = chore_services.chore_rotation_generate_next_week(house_id=house_id)
    return result.created if result else 0
