from functools import cache

from django import template
from django.utils.translation import gettext_lazy as _

from residents.models import Stay

register = template.Library()


@register.filter
def discharge_reason(code: str) -> str:
    """A discharge reason code as people say it ("rule_violation" → "Rule violation")."""
    try:
        return Stay.DischargeReason(code).label
    except ValueError:
        return code


# What the codes of each label set are, as the x axis of a chart of them says it.
AXIS_NAMES = {
    "result": _("Test result"),
    "substance": _("Substance"),
    "severity": _("Severity"),
    "action": _("Action taken"),
    "kind": _("Kind of charge"),
    "method": _("Payment method"),
    "bucket": _("Days past due"),
    "chore": _("Chore status"),
    "referred_by": _("Referred by"),
    "received_via": _("How it arrived"),
}


@register.simple_tag
def bar_chart(
    counts: dict, title: str, unit: str = "", label_set: str = "", currency: str = "", x_label: str = "",
    y_label: str = "",
):  # fmt: skip
    """An SVG bar chart of a {label: number} figure, for the PDF. ``label_set`` picks a label set for the codes; with
    a ``currency`` the figures are money and each bar is written as such ($1,725.00). The axes are labelled from the
    label set and the unit unless ``x_label`` / ``y_label`` say otherwise. A value that is not a number (a funder
    report's "<5") is drawn as no bar, written as it is."""
    from django.utils.safestring import mark_safe

    from accounts.money import money_words
    from reports import charts

    names = labels().get(label_set, {})
    items = [(names.get(key, str(key).replace("_", " ")), _number(value)) for key, value in counts.items()]
    written = (lambda value: money_words(str(value), currency)) if currency else None
    if not y_label:
        y_label = (
            _("Amount (%(currency)s)") % {"currency": currency}
            if currency
            else (_("Percent (%)") if unit == "%" else _("Count"))
        )
    return mark_safe(  # noqa: S308 - labels escaped in charts.py
        charts.bars(
            items, title=title, unit=unit, written=written, x_label=x_label or AXIS_NAMES.get(label_set, _("Category")),
            y_label=y_label,
        )
    )  # fmt: skip


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@register.filter
def label(code, kind: str) -> str:
    """A code as people say it, from the label set ``kind``."""
    return labels().get(kind, {}).get(code, str(code).replace("_", " ").capitalize())


@cache
def labels() -> dict[str, dict[str, str]]:
    """Label sets for codes shown in reports (read once: they are the models' choices)."""
    from billing.models import Payment
    from billing.models.ledger import EntryKind
    from residents.models import Application, DrugTest, Incident, Substance
    from vacancies.models import ReferralPartner

    return {
        "result": dict(DrugTest.Result.choices),
        "substance": dict(Substance.choices),
        "severity": dict(Incident.Severity.choices),
        "action": dict(Incident.Action.choices),
        "kind": dict(EntryKind.choices),
        "method": dict(Payment.Method.choices),
        "bucket": {
            "current": _("Current"),
            "1_30": _("1-30 days"),
            "31_60": "31-60",
            "61_90": "61-90",
            "over_90": "90+",
        },
        "chore": {"done": _("Done"), "missed": _("Missed"), "excused": _("Excused"), "pending": _("Not marked")},
        # Short enough to sit under a bar: "A referral partner" reads as "Partner".
        "referred_by": {**dict(Application.ReferredBy.choices), Application.ReferredBy.PARTNER: _("Partner")},
        "received_via": {
            Application.ReceivedVia.STAFF: _("Staff"),
            Application.ReceivedVia.WEBSITE: _("Public form"),
            Application.ReceivedVia.PARTNER: _("Partner"),
            Application.ReceivedVia.IMPORT: _("Import"),
        },
        "partner_kind": dict(ReferralPartner.Kind.choices),
    }
