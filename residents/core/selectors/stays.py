from django.db.models import Prefetch, QuerySet

from accounts.models import Membership
from residents.models import BedAssignment, Stay


def stays_for(*, viewer: Membership) -> QuerySet[Stay]:
    """The stays a member may see (the API's rows), each with its resident, house and every bed it used."""
    return (
        Stay.objects.visible_to(viewer)
        .select_related("resident", "house")
        .prefetch_related(Prefetch("bed_assignments", queryset=BedAssignment.objects.select_related("bed__room")))
    )


def current_stay_for_member(*, viewer: Membership) -> Stay | None:
    """The open stay of the resident who is logged in, with house and current bed, or None."""
    return (
        Stay.objects.visible_to(viewer)
        .open()
        .select_related("house", "resident")
        .prefetch_related("bed_assignments__bed__room")
        .first()
    )
