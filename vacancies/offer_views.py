"""The applicant's page for a waitlist offer, reached from the e-mail's private link (the token is the credential;
no login): "Yes, I'm still interested" or "No, not now", and a clear page once it was answered, expired, the bed
is gone or the application left the waitlist. Times read on the organization's clock, as in the e-mail."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.exceptions import Conflict
from accounts.tenancy import organization_clock
from residents.models import Application

from .models import WaitlistOffer
from .services.offers import is_open, offer_answer

ANSWERS = {"interested": True, "declined": False}


def _state(offer: WaitlistOffer) -> str:
    """What the page can say: ``open`` (waiting for this answer), ``answered``, ``left`` (the application is no
    longer on the waitlist), ``expired`` or ``gone``."""
    if offer.answer in (WaitlistOffer.Answer.INTERESTED, WaitlistOffer.Answer.DECLINED):
        return "answered"
    if offer.application.status not in Application.WAITING:
        return "left"
    if offer.answer == WaitlistOffer.Answer.EXPIRED or offer.expires_at <= timezone.now():
        return "expired"
    if not is_open(offer.opening):
        return "gone"
    return "open"


@never_cache
@require_http_methods(["GET", "POST"])
def offer_page(request, token):
    offers = WaitlistOffer.objects.select_related("application", "opening__house", "opening__organization")
    offer = get_object_or_404(offers, token=token)
    error, status = "", 200
    if request.method == "POST":
        if request.POST.get("answer") not in ANSWERS:
            error, status = _("Choose one of the two answers."), 400
        else:
            try:
                offer_answer(offer=offer, interested=ANSWERS[request.POST["answer"]])
            except Conflict as refusal:
                error, status = refusal.message, 409
            else:
                return redirect(request.path)
            offer.refresh_from_db()
            offer.opening.refresh_from_db()
            offer.application.refresh_from_db()
    organization = offer.opening.organization
    context = {
        "offer": offer,
        "state": _state(offer),
        "error": error,
        "organization": organization,
        "house": offer.opening.house,
        "expires_at": offer.expires_at,
        "answered_at": offer.answered_at,
    }
    # The template's date filters read the active zone: the organization's, as the e-mail shows it.
    with organization_clock(organization):
        response = render(request, "vacancies/offers/offer.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response
