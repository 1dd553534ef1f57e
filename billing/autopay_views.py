"""The resident's autopay page in the portal: whether autopay is on and with which payment method, the terms to agree
to before saving one with Stripe, the autopay charges and their tries, and turning autopay off."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.exceptions import DomainError
from residents.portal.views.sections import portal_page

from .models import Autopay, OnlinePayment
from .services.autopay import (
    MAX_ATTEMPTS,
    autopay_available,
    autopay_consent_text,
    autopay_of,
    autopay_setup_return,
    autopay_setup_start,
    autopay_turn_off,
)

RECENT_CHARGES = 6


class AutopayForm(forms.Form):
    consent = forms.BooleanField(
        label=gettext_lazy("I agree to these autopay terms"),
        error_messages={"required": gettext_lazy("Tick the box to agree to autopay before saving a payment method.")},
    )
    consent_text = forms.CharField(widget=forms.HiddenInput)


def _context(resident, form) -> dict:
    autopay = autopay_of(resident)
    charges = (
        OnlinePayment.objects.filter(resident=resident, source=OnlinePayment.Source.AUTOPAY)
        .select_related("payment")
        .order_by("-due_on", "-pk")[:RECENT_CHARGES]
    )
    return {
        "section": "pay",
        "autopay": autopay,
        "is_on": autopay is not None and autopay.status == Autopay.Status.ON,
        "available": autopay_available(resident),
        "terms": form.initial.get("consent_text") or autopay_consent_text(resident=resident),
        "form": form,
        "charges": charges,
        "max_attempts": MAX_ATTEMPTS,
    }


@portal_page
def autopay_page(request, resident):
    """Autopay's state and the consent form; an agreed form goes straight to Stripe's page to save a method."""
    terms = autopay_consent_text(resident=resident)
    form = AutopayForm(request.POST or None, initial={"consent_text": terms})
    if request.method == "POST" and form.is_valid():
        try:
            checkout_url, _session = autopay_setup_start(
                viewer=request.viewer,
                consent=form.cleaned_data["consent"],
                consent_text=form.cleaned_data["consent_text"],
                base_url=request.build_absolute_uri("/"),
            )
        except DomainError as error:
            if error.field == "consent_text":  # the terms changed while the page was open: show the new ones
                messages.error(request, error.message)
                return redirect("portal-autopay")
            form.add_error("consent" if error.field == "consent" else None, error.message)
        else:
            return redirect(checkout_url)
    status = 400 if form.errors else 200
    return render(request, "billing/portal_autopay.html", _context(resident, form), status=status)


@require_POST
@portal_page
def autopay_off(request, resident):
    try:
        autopay_turn_off(viewer=request.viewer)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Autopay is off. Nothing more will be charged automatically."))
    return redirect("portal-autopay")


@portal_page
def autopay_return(request, resident):
    """Back from Stripe's page: autopay is on once Stripe confirms the saved method (at once, or a moment later)."""
    autopay = autopay_setup_return(viewer=request.viewer, session_id=request.GET.get("session_id", ""))
    if autopay is not None and autopay.status == Autopay.Status.ON:
        messages.success(
            request,
            _("Autopay is on: your rent will be charged to %(method)s.") % {"method": autopay.payment_method_label},
        )
    elif autopay is not None and autopay.status == Autopay.Status.SETTING_UP:
        messages.info(request, _("Stripe is confirming your payment method. Autopay turns on as soon as it does."))
    return redirect("portal-autopay")
