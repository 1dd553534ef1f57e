"""Related ids a member may name: only what they may see exists (a 400 "does not exist" for the rest)."""

from rest_framework import serializers

from houses.models import House
from peer.selectors.access import applicants_for, members_for, peer_houses_for
from residents.models import Application, Resident


class _ViewerField(serializers.PrimaryKeyRelatedField):
    model = None
    selector = None

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", self.model.objects.all())  # names the model for the schema
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        viewer = getattr(request, "viewer", None) if request else None
        if not viewer:
            return self.model.objects.none()
        return type(self).selector(viewer=viewer)


class MemberField(_ViewerField):
    """A member of the viewer's house (for an operator: any resident of the organization)."""

    model = Resident
    selector = staticmethod(members_for)


class ApplicantField(_ViewerField):
    model = Application
    selector = staticmethod(applicants_for)


class PeerHouseField(_ViewerField):
    model = House
    selector = staticmethod(peer_houses_for)
