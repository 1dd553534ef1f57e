"""Staff pages for money that needs attention: a payment alert (a dispute, a failed bank debit or refund) with its
"mark handled" form, and the refund of a resident's online payment through Stripe.

Who refunds: operators only. A refund sends the organization's money back out of its Stripe account, the same
decision as settling a deposit or writing off a debt; managers see the payments, refunds and alerts of their
houses' residents and can mark an alert handled, but ask an operator to refund.
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.exceptions import Conflict, DomainError, Unavailable
from accounts.pages import refuse
from accounts.views import operator_required, staff_required

from .models import OnlineRefund
from .selectors.alerts import days_left, payment_alerts_for
from .selectors.online import online_payments_for
from .services.online_refunds import REFUNDABLE, online_refund_request, refundable_of
from .services.payment_alerts import payment_alert_handle


class HandledForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: evidence sent to Stripe; the resident paid by money order instead."),
    )


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_("At most what is still refundable."),
    )
    note = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_(
            "Why the money goes back. Kept with the refund; the resident's ledger shows the refund once Stripe "
            "confirms it."
        ),
    )


@staff_required
def payment_alert_page(request, alert_id: int):
    """One alert: what happened, to whom, how much, the deadline; staff mark it handled with a note."""
    viewer = request.viewer
    alert = get_object_or_404(payment_alerts_for(viewer=viewer), pk=alert_id)
    form = HandledForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                payment_alert_handle(viewer=viewer, alert_id=alert.pk, note=form.cleaned_data["note"])
            except DomainError as error:
                refuse(form, error)
            else:
                messages.success(
                    request,
                    gettext("%(kind)s of %(name)s: handled.")
                    % {"kind": alert.get_kind_display(), "name": alert.resident.display_name},
                )
                return redirect(reverse("dashboard") + "#payment-alerts")
        alert.refresh_from_db()
        status = 400
    context = {
        "alert": alert,
        "form": form,
        "days_left": days_left(alert.evidence_due_by, viewer.organization),
        "currency": viewer.organization.currency,
        "tz": viewer.organization.tzinfo,
    }
    return render(request, "billing/payment_alert.html", context, status=status)


@operator_required
def online_refund_page(request, online_payment_id: int):
    """An operator refunds (part of) a resident's online payment through Stripe. Nothing is posted here: the ledger
    shows the refund when Stripe's ``charge.refunded`` event arrives, once."""
    viewer = request.viewer
    op = get_object_or_404(online_payments_for(viewer=viewer), pk=online_payment_id)
    refundable = refundable_of(op) if op.status in REFUNDABLE and not op.dispute_id else Decimal("0.00")
    back = reverse("resident", args=[op.resident_id]) + "#online-payments"
    form = RefundForm(request.POST if request.method == "POST" else None, initial={"amount": refundable})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                refund = online_refund_request(
                    online_payment_id=op.pk,
                    amount=form.cleaned_data["amount"],
                    reason=OnlineRefund.Reason.STAFF,
                    actor=request.viewer,
                    note=form.cleaned_data["note"],
                )
            except DomainError as error:
                refuse(form, error)
                status = error.status_code if isinstance(error, Conflict | Unavailable) else 400
            else:
                messages.success(
                    request,
                    gettext(
                        "Refund of %(amount)s asked of Stripe (%(status)s). The ledger shows it once Stripe "
                        "confirms it."
                    )
                    % {"amount": refund.amount, "status": refund.get_status_display().lower()},
                )
                return redirect(back)
        else:
            status = 400
    context = {
        "online_payment": op,
        "refundable": refundable,
        "form": form,
        "back": back,
        "currency": viewer.organization.currency,
        "tz": viewer.organization.tzinfo,
    }
    return render(request, "billing/online_refund.html", context, status=status)
