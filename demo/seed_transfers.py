"""A move between houses in a past month, so the occupancy report shows a transfer out of one house and into
another (and no admission of the second)."""

from datetime import timedelta

from django.db.models import F

from accounts.models import Organization, Role
from houses.models import Bed, House
from residents.core.services import stays as stay_services
from residents.models import Stay


def seed(organization: Organization) -> None:
    """Moves one current resident of the men's house to a free bed of the co-ed house on the 10th of last month."""
    if Stay.objects.filter(organization=organization).exclude(admitted_to=F("house")).exists():
        return
    men = House.objects.filter(organization=organization, gender="men").order_by("pk").first()
    coed = House.objects.filter(organization=organization, gender="coed").order_by("pk").first()
    if men is None or coed is None:
        return
    today = organization.today()
    moved_on = (today.replace(day=1) - timedelta(days=1)).replace(day=10)
    stay = (
        Stay.objects.open()
        .filter(house=men, move_in__lt=moved_on - timedelta(days=14), resident__membership__isnull=True)
        .order_by("move_in", "pk")
        .first()
    )
    bed = (
        Bed.objects.filter(house=coed, assignments__isnull=True)
        .in_service_on(moved_on)
        .in_service_on(today)
        .order_by("pk")
        .first()
    )
    if stay is None or bed is None:
        return
    actor = organization.memberships.filter(role=Role.OPERATOR).order_by("pk").first()
    stay_services.stay_transfer(actor=actor, stay=stay, bed=bed, on=moved_on)
