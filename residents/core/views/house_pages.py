"""What the house-life pages share: rendering on the house's clock with the house's sub-navigation."""

from django.shortcuts import render
from django.utils import timezone

from houses.models import House


def render_house(request, template: str, house: House, tab: str, context: dict, *, status: int = 200):
    """Renders a house page with its sub-navigation, times shown on the house's clock."""
    context = {"section": "dashboard", "house": house, "house_tab": tab, "today": house.organization.today(), **context}
    with timezone.override(house.organization.tzinfo):
        return render(request, template, context, status=status)
