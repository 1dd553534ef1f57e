from django.db.models import QuerySet

from accounts.models import Membership
from residents.models import Grievance


def grievances_for(*, viewer: Membership) -> QuerySet[Grievance]:
    """Grievances the viewer may read: an operator, all of the organization's; a resident, their own; a house
    manager, none (a grievance may be about them)."""
    return Grievance.objects.visible_to(viewer).select_related(
        "resident", "house", "staff_member__user", "filed_by", "responded_by", "closed_by"
    )
