from django.urls import path

from . import converters  # noqa: F401  (registers <token:...>)
from . import partner_views as views

app_name = "vacancies-partner"

urlpatterns = [
    # The staff keep the organization's partners.
    path("dashboard/partners/", views.partner_list, name="partners"),
    path("dashboard/partners/new/", views.partner_create, name="partner-create"),
    path("dashboard/partners/<int:partner_id>/", views.partner_detail, name="partner"),
    path("dashboard/partners/<int:partner_id>/link/", views.partner_link, name="partner-link"),
    path("dashboard/partners/<int:partner_id>/invite/", views.partner_invite, name="partner-invite"),
    # A partner's pages through its private link: the token is the credential.
    path("r/<token:token>/", views.link_vacancies, name="link-vacancies"),
    path("r/<token:token>/refer/", views.link_refer, name="link-refer"),
    path("r/<token:token>/referrals/", views.link_referrals, name="link-referrals"),
    # The same pages for a login with the role referrer.
    path("referrer/", views.referrer_home, name="referrer-home"),
    path("referrer/<int:partner_id>/", views.referrer_vacancies, name="referrer-vacancies"),
    path("referrer/<int:partner_id>/refer/", views.referrer_refer, name="referrer-refer"),
    path("referrer/<int:partner_id>/referrals/", views.referrer_referrals, name="referrer-referrals"),
]
