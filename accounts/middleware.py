from contextlib import ExitStack

from django.utils.functional import SimpleLazyObject

from .tenancy import organization_clock, resolve_viewer


class ViewerMiddleware:
    """Attaches ``request.viewer``, the membership a logged-in page request acts as (None if it has none), and shows
    times on the organization's clock."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.viewer = SimpleLazyObject(lambda: resolve_viewer(request, request.user))
        with ExitStack() as clock:
            # A token is read later, by the API view, which enters the clock itself (accounts.api_base.ViewerMixin).
            if request.user.is_authenticated and request.viewer:
                clock.enter_context(organization_clock(request.viewer.organization))
            return self.get_response(request)
