from django import template

from accounts.templatetags.money import money, money_abs
from billing.memos import entry_words

register = template.Library()


# The money filters are the shared ones, so templates that load only this library format money the same way.
register.filter("money", money)
register.filter("money_abs", money_abs)
register.filter("entry_words", entry_words)  # what a ledger entry is, in plain words (billing/memos.py)


@register.inclusion_tag("billing/_resident_ledger.html", takes_context=True)
def resident_ledger(context, resident):
    """The ledger section of a resident's page (staff): balance, recent entries and the two forms."""
    from billing.resident_page import ledger_context

    request = context["request"]
    return {**ledger_context(resident=resident, today=request.viewer.organization.today()), "request": request}


DASHBOARD_OWING_ROWS = 8


@register.inclusion_tag("billing/_owing_widget.html", takes_context=True)
def owing_widget(context):
    """The dashboard's "Owing more than the alert amount" widget: the residents most in arrears first."""
    from billing.selectors.aging import owing_over_alert

    viewer = context["request"].viewer
    rows = owing_over_alert(viewer=viewer)
    return {
        "rows": rows[:DASHBOARD_OWING_ROWS],
        "more": max(len(rows) - DASHBOARD_OWING_ROWS, 0),
        "viewer": viewer,
        # An inclusion tag's template does not see the page's context processors.
        "currency": viewer.organization.currency,
    }
