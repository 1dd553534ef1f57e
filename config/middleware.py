"""Response headers every Hearth answer carries (the Content-Security-Policy comes from django-csp)."""

from django.utils.cache import patch_cache_control

# Hearth's pages use none of these; denying them means an injected script or frame cannot ask for them either.
# Stripe Checkout runs on Stripe's own pages, so no page of ours needs the Payment Request API.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def is_public_api(request) -> bool:
    """The open vacancy feed (vacancies.feed): public data that sets its own short public caching."""
    return request.path_info.startswith("/api/public/")


class SecurityHeadersMiddleware:
    """Keeps every signed-in page and every API answer out of browser and proxy caches (a shared computer's back
    button, a proxy in between: both would otherwise keep who lives in a house), and sends the Permissions-Policy.

    An anonymous page that sets its own Cache-Control keeps it; otherwise anonymous pages are not stored either (the
    login form carries a CSRF token, invitation links carry a signed token). Static files never reach here: WhiteNoise
    answers them first, with its own long-lived caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Read the user here, inside the session middleware, so ``Vary: Cookie`` is still added when it is read.
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        private_api = is_api(request) and not is_public_api(request)
        if signed_in or private_api or not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
