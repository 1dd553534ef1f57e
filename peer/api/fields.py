"""Related ids a member may name: only what they may see exists (a 400 "does not exist" for the rest)."""

from rest_framework import serializers

from houses.models import Bed, House
from peer.models import BankEntry, BusinessMeeting, Chapter, HouseBill
from peer.selectors import access
from residents.models import Application, Resident, Stay


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
    selector = staticmethod(access.members_for)


class ApplicantField(_ViewerField):
    model = Application
    selector = staticmethod(access.applicants_for)


class PeerHouseField(_ViewerField):
    model = House
    selector = staticmethod(access.peer_houses_for)


class MeetingField(_ViewerField):
    model = BusinessMeeting
    selector = staticmethod(access.meetings_for)


class BillField(_ViewerField):
    model = HouseBill
    selector = staticmethod(access.bills_for)


class BankEntryField(_ViewerField):
    model = BankEntry
    selector = staticmethod(access.bank_entries_for)


class ChapterField(_ViewerField):
    model = Chapter
    selector = staticmethod(access.chapters_for)


class PeerBedField(_ViewerField):
    """A bed of one of the viewer's peer-run houses."""

    model = Bed
    selector = staticmethod(access.peer_beds_for)


class MemberStayField(_ViewerField):
    """The open stay of a member of the viewer's peer-run house."""

    model = Stay
    selector = staticmethod(access.member_stays_for)
