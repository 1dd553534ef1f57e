from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import views as account_views

from . import health

api_patterns = [
    path("v1/", include("config.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script as a file of its own, which the Content-Security-Policy allows.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),  # load balancers and make prod-check (config/health.py)
    path("accounts/", include("accounts.urls")),
    # The signed-out language switch (templates/partials/language_switch.html): plain links, no form.
    path("language/<str:code>/", account_views.language_switch, name="language-switch"),
    path("dashboard/reports/", include("reports.urls")),
    path("dashboard/settings/rent/", include("billing.settings_urls")),
    path("dashboard/settings/payments/", include("billing.payment_settings_urls")),
    path("dashboard/", include("houses.urls")),
    path("dashboard/", include("compliance.urls")),
    path("dashboard/import/", include("spreadsheets.urls")),
    # Filling beds: the public vacancy pages and feed, referral partners, listings and waitlist offers.
    path("", include("vacancies.public_urls")),
    path("", include("vacancies.feed_urls")),
    path("", include("vacancies.partner_urls")),
    path("", include("vacancies.listing_urls")),
    path("", include("vacancies.offer_urls")),
    path("", include("exports.urls")),
    path("billing/", include("billing.urls")),
    path("portal/pay/", include("billing.portal_urls")),
    path("", include("peer.urls")),
    path("", include("residents.urls")),
    # The API has a namespace of its own, so a page can never reverse an API route by accident.
    path("api/", include((api_patterns, "api"))),
    path("admin/", admin.site.urls),
]

# Under /api/ errors answer JSON even with DEBUG off; elsewhere the HTML pages.
handler400 = "config.errors.bad_request"
handler403 = "config.errors.forbidden"
handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"
