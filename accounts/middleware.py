from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .tenancy import resolve_viewer


class ViewerMiddleware:
    """Attaches ``request.viewer``, the membership a logged-in page request acts as (None if it has none), and shows
    times on the organization's clock."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.viewer = SimpleLazyObject(lambda: resolve_viewer(request, request.user))
        if request.user.is_authenticated and request.viewer:
            timezone.activate(request.viewer.organization.tzinfo)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
