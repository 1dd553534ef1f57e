"""What the house-life pages share: the house in the viewer's scope, rendering on the house's clock, and a
service's refusal put beside its field (or refused outright when the role may not do it)."""

from django.shortcuts import render
from django.utils import timezone

from accounts.pages import refuse  # noqa: F401 - the house pages' import
from houses.models import House
from houses.selectors import house_in_scope

FORBIDDEN = 403


house_of = house_in_scope


def render_house(request, template: str, house: House, tab: str, context: dict, *, status: int = 200):
    """Renders a house page with its sub-navigation, times shown on the house's clock."""
    context = {"section": "dashboard", "house": house, "house_tab": tab, "today": house.organization.today(), **context}
    with timezone.override(house.organization.tzinfo):
        return render(request, template, context, status=status)
