from django.urls import path

from . import (
    converters,  # noqa: F401  (registers <token:...>)
    offer_views,
    openings_views,
)

app_name = "vacancies-offer"

urlpatterns = [
    # The staff's view of beds opening and the waitlist offers made for them.
    path("dashboard/openings/", openings_views.openings_page, name="openings"),
    # An applicant's answer to a waitlist offer, through the e-mail's private link: the token is the credential.
    path("offers/<token:token>/", offer_views.offer_page, name="offer"),
]
