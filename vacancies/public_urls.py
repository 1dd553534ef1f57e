"""The public vacancy pages, the application form and the applicant's private link: no login."""

from django.urls import path

from . import converters  # noqa: F401  (registers <token:...>)
from . import public_views as views

app_name = "vacancies-public"

urlpatterns = [
    path("v/<slug:organization>/", views.organization_page, name="organization"),
    # Before the house pages: "apply" is the organization's form, never a house's slug.
    path("v/<slug:organization>/apply/", views.organization_apply, name="apply"),
    path("v/<slug:organization>/apply/thanks/", views.thanks, name="thanks"),
    path("v/<slug:organization>/<slug:house>/", views.house_page, name="house"),
    path("v/<slug:organization>/<slug:house>/apply/", views.house_apply, name="house-apply"),
    path("v/<slug:organization>/<slug:house>/photos/<int:photo>/", views.house_photo, name="photo"),
    path("applications/<token:token>/", views.application_status, name="application"),
    path("applications/<token:token>/erase/", views.application_erase, name="application-erase"),
]
