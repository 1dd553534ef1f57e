"""The open vacancy feed's endpoints and the embeddable snippet: public, no login, no cookie needed. Each answers
from ``vacancies.feed`` (plain Django views: the API's default authentication and member permission do not apply)."""

from csp.decorators import csp_replace
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods

from . import feed, hsds
from .models import HouseListing
from .public_selectors import gender_words
from .selectors import HORIZON_DAYS

FEED_PARAMETERS = ("organization", "city", "gender", "moud", "page", "per_page")


def _feed(request, kind: str, build):
    if request.method == "OPTIONS":
        return feed.preflight()
    try:
        filters = feed.read_filters(request.GET, allowed=FEED_PARAMETERS)
    except feed.BadFilter as error:
        return feed.bad_filter(error)
    return feed.cached_json(kind, filters, build)


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def vacancy_feed(request):
    """Every published house with its rent, fees and beds open now and within 14 days."""
    return _feed(request, "vacancies", feed.vacancies_body)


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def hsds_services(request):
    """The same houses as HSDS 3 services, in the HSDS API's paginated page."""
    return _feed(request, "hsds-services", hsds.services_page)


@require_http_methods(["GET", "HEAD"])
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed(request, organization_slug, house_slug):
    """A house's open beds in a few lines, for an operator's own website to frame (any site may: this page only)."""
    listings = HouseListing.objects.published().select_related("organization", "house")
    listing = get_object_or_404(listings, organization__slug=organization_slug, slug=house_slug)
    vacancy = feed.vacancies_for(listing)
    context = {
        "listing": listing,
        "house": listing.house,
        "gender": gender_words(listing.house),
        "vacancy": vacancy,
        "horizon_days": HORIZON_DAYS,
        "public_url": feed.public_url(listing),
    }
    response = render(request, "vacancies/embed/house.html", context)
    response["Cache-Control"] = f"public, max-age={feed.CACHE_SECONDS}"
    patch_vary_headers(response, ("Cookie",))  # in the visitor's language (the switch's cookie or the browser's)
    return response
