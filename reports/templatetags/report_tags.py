from django import template

from residents.models import Stay

register = template.Library()


@register.filter
def discharge_reason(code: str) -> str:
    """A discharge reason code as people say it ("rule_violation" → "Rule violation")."""
    try:
        return Stay.DischargeReason(code).label
    except ValueError:
        return code
