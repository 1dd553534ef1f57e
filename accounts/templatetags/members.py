from django import template

from accounts import selectors

register = template.Library()


@register.filter
def member_name(membership) -> str:
    """The name the organization sees: the invited name until the invitation is accepted."""
    return selectors.member_name(membership)


@register.filter
def member_short_name(membership) -> str:
    return selectors.member_name(membership).split(" ")[0]
