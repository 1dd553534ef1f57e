from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(value) -> str:
    """``1234.5`` -> ``1,234.50``; a negative amount keeps its minus sign."""
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.2f}"


@register.filter
def money_abs(value) -> str:
    """The amount without its sign, for a credit shown in a credit column."""
    if value is None or value == "":
        return ""
    return f"{abs(Decimal(value)):,.2f}"
