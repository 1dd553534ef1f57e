"""What every page of a peer-run house shares: the member, their house and their offices today."""

from dataclasses import dataclass, field
from functools import wraps

from django.http import Http404
from django.shortcuts import render

from houses.models import House
from peer.selectors.access import members_for, peer_home
from peer.services.authority import offices_held
from residents.models import Resident
from residents.portal.views.sections import portal_page


@dataclass
class Member:
    resident: Resident
    house: House
    offices: set[str] = field(default_factory=set)

    def holds(self, *offices: str) -> bool:
        return bool(self.offices & set(offices))

    @property
    def is_officer(self) -> bool:
        return bool(self.offices)


def member_page(view):
    """A page of the member's own peer-run house: the view gets the ``Member``. A resident who lives in no peer-run
    house finds no such page (404)."""

    @portal_page
    @wraps(view)
    def wrapper(request, resident, *args, **kwargs):
        house = peer_home(request.viewer)
        if house is None:
            raise Http404
        member = Member(resident, house, offices_held(resident, house, on=house.organization.today()))
        return view(request, member, *args, **kwargs)

    return wrapper


def members(request):
    return members_for(viewer=request.viewer).order_by("preferred_name", "legal_first_name", "legal_last_name")


def render_house(request, template: str, member: Member, section: str, context: dict, *, status: int = 200):
    context = {"section": "house", "house_section": section, "member": member, "house": member.house, **context}
    return render(request, template, context, status=status)
