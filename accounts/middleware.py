from contextlib import ExitStack

from django.utils import translation
from django.utils.functional import SimpleLazyObject

from . import audit, request_log
from .tenancy import organization_clock, resolve_viewer


class ViewerMiddleware:
    """Attaches ``request.viewer``, the membership a logged-in page request acts as (None if it has none), and shows
    times on the organization's clock. The request is the audit's channel (``accounts.audit``): who reads, from
    where."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.viewer = SimpleLazyObject(lambda: resolve_viewer(request, request.user))
        with ExitStack() as clock, audit.channel(request) as channel:
            # A token is read later, by the API view, which enters the clock itself (accounts.api_base.ViewerMixin).
            if request.user.is_authenticated and request.viewer:
                clock.enter_context(organization_clock(request.viewer.organization))
            request_log.identify(request.user, request.viewer)
            response = self.get_response(request)
            channel.answered(response.status_code)
            return response


class LanguageMiddleware:
    """A signed-in person reads Hearth in the language they chose, wherever they sign in from; signed out, the
    LocaleMiddleware's choice (the switch's cookie, else the browser's Accept-Language) stands."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
