from django.db.models import QuerySet

from accounts.models import Membership

from .models import House


def houses_for(*, viewer: Membership) -> QuerySet[House]:
    """The houses a member may see, with their capacity (beds in service) and bed count."""
    return House.objects.visible_to(viewer).with_capacity()
