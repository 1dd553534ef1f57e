"""The ledger section of a resident's page for staff: balance, recent entries, record a payment, post a charge.

The resident page (residents) includes the template; billing fills it with a template tag and handles its forms
here, so residents never imports billing.
"""

from datetime import date

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import dates
from accounts.exceptions import DomainError
from accounts.pages import refuse
from accounts.views import staff_required
from residents.models import Resident

from .forms import default_statement_range
from .models import Autopay, LedgerEntry, Payment
from .models.ledger import CHARGE_KIND_CHOICES, EntryKind
from .selectors.balances import resident_balance
from .services.ledger import charge_post
from .services.payments import payment_record

RECENT = 15


class PaymentForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Method"), choices=[c for c in Payment.Method.choices if c[0] in Payment.MANUAL_METHODS]
    )
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0.01)
    received_on = dates.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(
        label=_("Reference"), required=False, max_length=80, help_text=_("Check or money-order number, voucher id")
    )
    payer_name = forms.CharField(
        label=_("Payer name"), required=False, max_length=120, help_text=_("Who paid, when not the resident")
    )


class ChargeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[c for c in CHARGE_KIND_CHOICES if c[0] != EntryKind.RENT])
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0.01)
    effective_on = dates.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    memo = forms.CharField(label=_("Memo"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "charge_%s")  # the payment form beside it has an amount too
        super().__init__(*args, **kwargs)


def ledger_context(*, resident: Resident, today: date, payment_form=None, charge_form=None) -> dict:
    entries = list(
        LedgerEntry.objects.filter(resident=resident)
        .select_related("payment")
        .order_by("-effective_on", "-pk")[:RECENT]
    )
    start, end = default_statement_range(today)
    money = resident_balance(resident=resident)
    return {
        "resident": resident,
        "statement_query": f"resident={resident.pk}&start={start.isoformat()}&end={end.isoformat()}",
        "money": money,
        # The section is drawn by an inclusion tag, which does not see the page's context processors.
        "currency": money["currency"],
        "entries": entries,
        "autopay": Autopay.objects.filter(resident=resident, status=Autopay.Status.ON).first(),
        "payment_form": payment_form or PaymentForm(initial={"received_on": today, "method": "cash"}),
        "charge_form": charge_form or ChargeForm(initial={"effective_on": today}),
    }


def _resident(request, resident_id):
    return get_object_or_404(Resident.objects.visible_to(request.viewer), pk=resident_id)


def _back(resident):
    return redirect(reverse("resident", args=[resident.pk]) + "#ledger")


def _refused(request, resident, *, payment_form=None, charge_form=None):
    context = ledger_context(
        resident=resident, today=request.viewer.organization.today(), payment_form=payment_form, charge_form=charge_form
    )
    return render(request, "billing/resident_ledger_page.html", context, status=400)


@staff_required
def record_payment(request, resident_id: int):
    """Records cash, a check, a money order or a third party's payment; the receipt is one click away."""
    resident = _resident(request, resident_id)
    form = PaymentForm(request.POST)
    if request.method != "POST" or not form.is_valid():
        return _refused(request, resident, payment_form=form)
    try:
        payment = payment_record(actor=request.viewer, resident=resident, **form.cleaned_data)
    except DomainError as error:
        refuse(form, error)
        return _refused(request, resident, payment_form=form)
    messages.success(
        request,
        gettext("Payment of %(amount)s recorded: receipt no. %(number)s.")
        % {"amount": payment.amount, "number": payment.receipt_number},
    )
    return _back(resident)


@staff_required
def post_charge(request, resident_id: int):
    resident = _resident(request, resident_id)
    form = ChargeForm(request.POST)
    if request.method != "POST" or not form.is_valid():
        return _refused(request, resident, charge_form=form)
    try:
        entry = charge_post(actor=request.viewer, resident=resident, **form.cleaned_data)
    except DomainError as error:
        refuse(form, error)
        return _refused(request, resident, charge_form=form)
    messages.success(
        request, gettext("%(kind)s of %(amount)s posted.") % {"kind": entry.get_kind_display(), "amount": entry.amount}
    )
    return _back(resident)
