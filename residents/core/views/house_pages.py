"""What the house-life pages share: the house in the viewer's scope, rendering on the house's clock, and a
service's refusal put beside its field (or refused outright when the role may not do it)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts.exceptions import DomainError
from accounts.pages import show_domain_error
from houses.models import House

FORBIDDEN = 403


def house_of(request, house_id) -> House:
    """The house, if the viewer may see it; any other id is a 404."""
    return get_object_or_404(House.objects.visible_to(request.viewer).select_related("organization"), pk=house_id)


def render_house(request, template: str, house: House, tab: str, context: dict, *, status: int = 200):
    """Renders a house page with its sub-navigation, times shown on the house's clock."""
    context = {"section": "dashboard", "house": house, "house_tab": tab, "today": house.organization.today(), **context}
    with timezone.override(house.organization.tzinfo):
        return render(request, template, context, status=status)


def refuse(form, error: DomainError, *, fields: dict[str, str] | None = None) -> None:
    """Shows a refusal beside its field; a refusal of the role itself (403) is the 403 page."""
    if error.status_code == FORBIDDEN:
        raise PermissionDenied(error.message)
    show_domain_error(form, error, fields=fields)
