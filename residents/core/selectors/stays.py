from accounts.models import Membership
from residents.models import Stay


def current_stay_for_member(*, viewer: Membership) -> Stay | None:
    """The open stay of the resident who is logged in, with house and current bed, or None."""
    return (
        Stay.objects.visible_to(viewer)
        .open()
        .select_related("house", "resident")
        .prefetch_related("bed_assignments__bed__room")
        .first()
    )
