from decimal import Decimal

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

ZERO = Decimal("0.00")


def rent_card(resident) -> dict:
    """What the portal home's rent card and its "What needs doing" list show: the balance (above zero owed, below
    zero a credit), payments on their way, what is left to pay online (``to_pay``), and the past-due part with the
    date of the oldest unpaid charge (``past_due_since``, None when nothing is past due), as the aging report and the
    bed board count it, and (``not_ready``) why the resident cannot pay online yet under Connect, "" otherwise."""
    from .selectors.arrears import past_due_of
    from .selectors.balances import resident_balance
    from .selectors.online import online_unavailable_reason
    from .services.stripe_setup import connect_enabled

    money = resident_balance(resident=resident)
    late = past_due_of([resident.pk], on=resident.organization.today()).get(resident.pk)
    return {
        **money,
        "credit": max(-money["balance"], ZERO),
        "to_pay": max(money["balance"] - money["pending"], ZERO),
        "past_due": late.owed if late else None,
        "past_due_since": late.since if late else None,
        "url": reverse("portal-pay"),
        "autopay_url": reverse("portal-autopay"),
        # With Connect on, the organization's own Stripe account may not take charges yet: say so, offer no button.
        "not_ready": online_unavailable_reason(resident.organization) if connect_enabled() else "",
    }


def portal_money(request):
    """The portal home's rent card (``billing``) for a resident; nothing anywhere else. Read only when a template
    uses it, so the other portal pages pay no queries for it."""
    viewer = getattr(request, "viewer", None)
    if not request.path.startswith("/portal/") or not viewer or not viewer.is_resident:
        return {}
    resident = getattr(viewer, "resident", None)
    if resident is None:
        return {}
    return {"billing": SimpleLazyObject(lambda: rent_card(resident))}
