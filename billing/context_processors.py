from django.urls import reverse


def portal_money(request):
    """The portal home's Money card (``billing``) for a resident; nothing anywhere else."""
    viewer = getattr(request, "viewer", None)
    if not request.path.startswith("/portal/") or not viewer or not viewer.is_resident:
        return {}
    resident = getattr(viewer, "resident", None)
    if resident is None:
        return {}
    from .selectors.balances import resident_balance

    money = resident_balance(resident=resident)
    return {"billing": {"balance": money["balance"], "currency": money["currency"], "url": reverse("portal-pay")}}
