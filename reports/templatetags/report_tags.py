from functools import cache

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


@register.simple_tag
def bar_chart(counts: dict, title: str, unit: str = "", label_set: str = "", currency: str = ""):
    """An SVG bar chart of a {label: number} figure, for the PDF. ``labels`` picks a label set for the codes; with
    a ``currency`` the figures are money and each bar is written as such ($1,725.00)."""
    from django.utils.safestring import mark_safe

    from accounts.money import money_words
    from reports import charts

    names = labels().get(label_set, {})
    items = [(names.get(key, str(key).replace("_", " ")), float(value)) for key, value in counts.items()]
    written = (lambda value: money_words(str(value), currency)) if currency else None
    return mark_safe(charts.bars(items, title=title, unit=unit, written=written))  # noqa: S308 - labels escaped


@register.filter
def label(code, kind: str) -> str:
    """A code as people say it, from the label set ``kind``."""
    return labels().get(kind, {}).get(code, str(code).replace("_", " ").capitalize())


@cache
def labels() -> dict[str, dict[str, str]]:
    """Label sets for codes shown in reports (read once: they are the models' choices)."""
    from billing.models import Payment
    from billing.models.ledger import EntryKind
    from residents.models import DrugTest, Incident, Substance

    return {
        "result": dict(DrugTest.Result.choices),
        "substance": dict(Substance.choices),
        "severity": dict(Incident.Severity.choices),
        "action": dict(Incident.Action.choices),
        "kind": dict(EntryKind.choices),
        "method": dict(Payment.Method.choices),
        "bucket": {"current": "Current", "1_30": "1-30 days", "31_60": "31-60", "61_90": "61-90", "over_90": "90+"},
        "chore": {"done": "Done", "missed": "Missed", "excused": "Excused", "pending": "Not marked"},
    }
