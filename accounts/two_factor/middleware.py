from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy
from knox.settings import knox_settings

from . import services

UNVERIFIED_API_MESSAGE = gettext_lazy(
    "This session has not finished signing in: enter the code from your authenticator app on the sign-in page."
)


def _carries_a_token(request) -> bool:
    scheme = request.META.get("HTTP_AUTHORIZATION", "").split(" ", 1)[0]
    return scheme.lower() == knox_settings.AUTH_HEADER_PREFIX.lower()


class TwoFactorMiddleware:
    """Keeps a signed-in session within the sign-in's second step until it passes a code, and a staff member whose
    organization requires two-factor on the set-up page until they have set it up.

    Runs after ``ViewerMiddleware``: whether two-factor is required depends on the membership the request acts as.
    API requests made with a token are checked by the API itself (``ViewerMixin``), which reads the token."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.refusal(request) or self.get_response(request)

    def refusal(self, request):
        if not request.user.is_authenticated:
            return None
        path = request.path_info
        if path == reverse("logout"):
            return None
        is_api = path.startswith("/api/")
        if is_api and _carries_a_token(request):
            # The token is read before the session, and either signs the request in (the token login asked for the
            # code) or refuses it: the session is never consulted. Any other scheme falls back to the session.
            return None
        if services.session_pending(request):
            if path == reverse("two-factor-verify"):
                return None
            if is_api:
                return JsonResponse({"detail": UNVERIFIED_API_MESSAGE}, status=403)
            return redirect_to_login(request.get_full_path(), reverse("two-factor-verify"))
        if is_api or path.startswith(reverse("account-security")) or path == reverse("switch-organization"):
            return None
        if services.setup_required(request.user, request.viewer):
            return redirect("account-security")
        return None
