from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("dashboard/reports/", include("reports.urls")),
    path("dashboard/settings/rent/", include("billing.settings_urls")),
    path("dashboard/", include("houses.urls")),
    path("dashboard/", include("compliance.urls")),
    path("billing/", include("billing.urls")),
    path("portal/pay/", include("billing.portal_urls")),
    path("", include("residents.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler403 = "accounts.views.forbidden"
