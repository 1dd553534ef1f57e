"""The operator's online payments page, under /dashboard/settings/payments/: where residents' online payments are
paid into, and (Stripe Connect) connecting the organization's own Stripe account."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from accounts.exceptions import DomainError
from accounts.views import operator_required

from .selectors.connect import payment_account_of
from .services.stripe_connect import connect_refusal, stripe_account_connect, stripe_account_refresh

# Where Stripe sends the operator back to: this page, which reads the account afresh on return.
RETURN_QUERY = "?stripe=return"
REFRESH_QUERY = "?stripe=refresh"
EXPIRED = gettext_noop("That Stripe setup link had expired or was already used. Continue the setup to get a fresh one.")


def onboarding_urls(request) -> dict[str, str]:
    """The return and refresh addresses of an onboarding link (the page and the API): this page, on this site."""
    page = request.build_absolute_uri(reverse("billing-payment-settings"))
    return {"return_url": page + RETURN_QUERY, "refresh_url": page + REFRESH_QUERY}


@operator_required
def payment_settings(request):
    """The connection's state; its button (a POST) sends the operator to Stripe's onboarding. Stripe sends them back
    here (``?stripe=return``), and the account is then read afresh from Stripe."""
    if request.method == "POST":
        try:
            url = stripe_account_connect(viewer=request.viewer, **onboarding_urls(request))
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("billing-payment-settings")
        return redirect(url)
    back_from_stripe = request.GET.get("stripe")
    if back_from_stripe == "return":
        try:
            stripe_account_refresh(viewer=request.viewer)
        except DomainError as error:
            messages.warning(request, error.message)
    elif back_from_stripe == "refresh":
        messages.info(request, gettext(EXPIRED))
    state = payment_account_of(viewer=request.viewer)
    refusal = connect_refusal()
    context = {
        "section": "settings",
        "state": state,
        "refusal": refusal.message if refusal else "",
        "ready": state["charges_enabled"] and state["payouts_enabled"] and state["details_submitted"],
    }
    return render(request, "billing/payment_settings.html", context)
