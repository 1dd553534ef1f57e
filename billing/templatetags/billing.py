from django import template

from accounts.templatetags.money import money, money_abs
from billing.memos import entry_words, payment_memo

register = template.Library()


# The money filters are the shared ones, so templates that load only this library format money the same way.
register.filter("money", money)
register.filter("money_abs", money_abs)
register.filter("entry_words", entry_words)  # what a ledger entry is, in plain words (billing/memos.py)
register.filter("payment_memo", payment_memo)  # a payment's note on its receipt, in the active language


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


DASHBOARD_ALERT_ROWS = 8


@register.inclusion_tag("billing/_payment_alerts_panel.html", takes_context=True)
def payment_alerts_panel(context):
    """The dashboard's "Payments needing attention": open disputes (with Stripe's evidence deadline and the days left,
    in the organization's time zone), failed bank debits and failed refunds the viewer may see."""
    from billing.selectors.alerts import days_left, open_payment_alerts

    viewer = context["request"].viewer
    organization = viewer.organization
    alerts = open_payment_alerts(viewer=viewer)
    shown = list(alerts[:DASHBOARD_ALERT_ROWS])
    total = alerts.count()  # counted every time, so the page costs the same however many there are
    return {
        "rows": [{"alert": alert, "days_left": days_left(alert.evidence_due_by, organization)} for alert in shown],
        "more": total - len(shown),
        "currency": organization.currency,
        "tz": organization.tzinfo,
    }


@register.inclusion_tag("billing/_resident_online_payments.html", takes_context=True)
def resident_online_payments(context, resident):
    """The resident page's "Online payments" section (staff): each payment's state, refunds and disputes; an operator
    may refund a payment that was received."""
    from billing.selectors.alerts import resident_online_payments as payments_of
    from billing.services.online_refunds import REFUNDABLE
    from billing.services.payment_alerts import dispute_reason_words

    viewer = context["request"].viewer
    payments = list(payments_of(viewer=viewer, resident_id=resident.pk).prefetch_related("refunds", "alerts"))
    for op in payments:
        op.dispute_reason_words = dispute_reason_words(op.dispute_reason) if op.dispute_reason else ""
    return {
        "resident": resident,
        "payments": payments,
        "can_refund": viewer.is_operator,
        "refundable_statuses": REFUNDABLE,
        "currency": viewer.organization.currency,
        "tz": viewer.organization.tzinfo,
    }
