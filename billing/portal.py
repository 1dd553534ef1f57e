"""The resident's money pages in the portal: balance, next rent, "Pay rent" through Stripe Checkout, and the page a
resident comes back to, which shows the payment as pending until Stripe's webhook confirms it."""

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import DomainError
from accounts.views import resident_required
from residents.models import Resident, Stay

from .models import LedgerEntry, RentSchedule
from .selectors.balances import resident_balance
from .selectors.online import checkout_options, online_payment_by_session, online_payments_for
from .services.online_checkout import online_checkout_start
from .services.periods import period_containing
from .services.rent import terms_of


class PayForm(forms.Form):
    amount = forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        label=gettext_lazy("Amount to pay"),
        help_text=gettext_lazy("What you owe is filled in; you may pay less"),
    )


def next_rent(*, stay: Stay | None, today: date) -> dict | None:
    """The next rent due date and amount of an open stay, from its current rent schedule."""
    if stay is None:
        return None
    schedule = (
        RentSchedule.objects.filter(stay=stay, starts_on__lte=today + timedelta(days=1))
        .order_by("-starts_on", "-pk")
        .first()
    )
    if schedule is None:
        return None
    _start, next_start = period_containing(terms_of(schedule), today)
    return {"on": next_start, "amount": schedule.amount}


def money_context(*, resident: Resident, today: date) -> dict:
    stay = Stay.objects.filter(resident=resident, move_out__isnull=True).first()
    return {
        "money": resident_balance(resident=resident),
        "next_rent": next_rent(stay=stay, today=today),
        "options": checkout_options(resident=resident),
    }


@resident_required
def pay(request):
    """Balance, next rent, the checkout still open (to continue it) and the pay form; a valid amount goes straight to
    Stripe Checkout. Sending the form twice (a double tap, two tabs) never opens two checkouts that can be paid: the
    same amount returns the open checkout, another amount replaces it."""
    resident = request.viewer.resident
    today = request.viewer.organization.today()
    context = money_context(resident=resident, today=today)
    options = context["options"]
    # The open checkout's amount is filled in, so paying it again returns the same checkout (never a second one).
    suggested = options["open_checkout"].amount if options["open_checkout"] else options["payable"]
    form = PayForm(request.POST or None, initial={"amount": suggested if suggested > 0 else None})
    if request.method == "POST" and form.is_valid():
        try:
            checkout_url, _session = online_checkout_start(
                viewer=request.viewer, amount=form.cleaned_data["amount"], base_url=request.build_absolute_uri("/")
            )
        except DomainError as error:
            form.add_error("amount" if error.field == "amount" else None, error.message)
        else:
            return redirect(checkout_url)
    entries = (
        LedgerEntry.objects.filter(resident=resident)
        .select_related("payment", "reverses")  # a reversal's words name the entry it reverses
        .order_by("-effective_on", "-pk")
    )
    open_checkout = options["open_checkout"]
    context.update(
        # The organization's own clock: the resident reads when the checkout closes in their house's time.
        closes_at=timezone.localtime(open_checkout.expires_at, request.viewer.organization.tzinfo)
        if open_checkout
        else None,
        form=form,
        entries=entries[:20],
        online=online_payments_for(viewer=request.viewer)[:10],
        section="pay",
        zero=Decimal("0"),
    )
    return render(request, "billing/portal_pay.html", context, status=400 if form.errors else 200)


@resident_required
def pay_return(request):
    """Back from Stripe: the payment is pending until the webhook confirms it (the page refreshes itself)."""
    payment = online_payment_by_session(viewer=request.viewer, session_id=request.GET.get("session_id", ""))
    if payment is None:
        messages.info(request, _("We could not find that payment. If you paid, it will appear here once confirmed."))
        return redirect("portal-pay")
    return render(request, "billing/portal_pay_return.html", {"payment": payment, "section": "pay"})
