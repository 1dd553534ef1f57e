from django import template

from accounts.money import money_words

register = template.Library()


@register.filter
def money(value, currency="USD") -> str:
    """``{{ amount|money:currency }}`` -> ``$1,725.00``; ``currency`` is in every page's context."""
    if value is None or value == "":
        return ""
    return money_words(value, currency or "USD")


@register.filter
def money_abs(value, currency="USD") -> str:
    """The amount without its sign, for a credit shown in a credit column."""
    if value is None or value == "":
        return ""
    return money_words(abs(value), currency or "USD")
