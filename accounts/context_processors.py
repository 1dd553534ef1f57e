from .tenancy import memberships_of


def viewer(request):
    """The acting membership and the user's other organizations, for the header and its switcher."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    current = getattr(request, "viewer", None)
    return {
        "viewer": current if current else None,
        "currency": current.organization.currency if current else "USD",
        "all_memberships": memberships_of(user),
    }
