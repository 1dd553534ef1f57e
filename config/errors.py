"""Error answers when DEBUG is off: JSON under /api/ (clients parse it), the HTML pages everywhere else.

DRF answers its own errors as JSON; these handlers cover what reaches Django instead: an unknown /api/ address, an
exception no handler turned into a 4xx, a refused request (a bad Host header, an oversized body)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from accounts.views import forbidden as forbidden_page

from .middleware import is_api


def bad_request(request, exception=None):
    if is_api(request):
        return JsonResponse({"detail": _("The request could not be read.")}, status=400)
    return defaults.bad_request(request, exception)


def forbidden(request, exception=None):
    if is_api(request):
        return JsonResponse({"detail": _("You do not have permission to perform this action.")}, status=403)
    return forbidden_page(request, exception)


def not_found(request, exception=None):
    if is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return JsonResponse(
            {"detail": _("Something went wrong on our side. It has been logged; please try again in a moment.")},
            status=500,
        )
    return defaults.server_error(request)
