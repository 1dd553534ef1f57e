"""The open vacancy feed (JSON and HSDS) and the snippet a house's own website frames."""

from django.urls import path

from . import feed_views

app_name = "vacancies-feed"

urlpatterns = [
    path("api/public/v1/vacancies/", feed_views.vacancy_feed, name="vacancies"),
    path("api/public/v1/hsds/services/", feed_views.hsds_services, name="hsds-services"),
    path("v/<slug:organization_slug>/<slug:house_slug>/embed/", feed_views.embed, name="embed"),
]
