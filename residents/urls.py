"""Resident pages: staff pages under /dashboard/, the resident portal under /portal/."""

from django.urls import include, path

from . import views

staff_patterns = [
    path("", views.dashboard, name="dashboard"),
    path("houses/<int:house_id>/beds/", views.bed_board_page, name="bed-board"),
    path("houses/<int:house_id>/beds/<int:bed_id>/admit/", views.admit, name="admit"),
    path("houses/<int:house_id>/waitlist/", views.waitlist, name="waitlist"),
    path("stays/<int:stay_id>/transfer/", views.transfer, name="transfer"),
    path("stays/<int:stay_id>/discharge/", views.discharge, name="discharge"),
    path("residents/", views.resident_list, name="residents"),
    path("residents/<int:resident_id>/", views.resident_detail, name="resident"),
    path("residents/<int:resident_id>/profile/", views.resident_profile, name="resident-profile"),
    path("residents/<int:resident_id>/portal-login/", views.resident_portal_login, name="resident-portal-login"),
    path(
        "residents/<int:resident_id>/portal-login/withdraw/",
        views.resident_portal_invitation_withdraw,
        name="resident-portal-invitation-withdraw",
    ),
    path(
        "residents/<int:resident_id>/portal-login/resend/",
        views.resident_portal_invitation_resend,
        name="resident-portal-invitation-resend",
    ),
    path("applications/", views.application_list, name="applications"),
    path("applications/new/", views.application_new, name="application-new"),
    path("applications/<int:application_id>/", views.application_detail, name="application"),
    path("applications/<int:application_id>/move/", views.application_move, name="application-move"),
    path(
        "applications/<int:application_id>/admit/",
        views.application_accept_and_admit,
        name="application-accept-and-admit",
    ),
    path("", include("residents.housepages_urls")),
]

portal_patterns = [
    path("", views.portal, name="portal"),
    path("rules/", views.portal_rules, name="portal-rules"),
    path("rules/<int:rule_set_id>/sign/", views.portal_rules_sign, name="portal-rules-sign"),
    path("chores/", views.portal_chores, name="portal-chores"),
    path("tests/", views.portal_tests, name="portal-tests"),
    path("meetings/", views.portal_meetings, name="portal-meetings"),
    path("phase/", views.portal_phase, name="portal-phase"),
    path("sign-out/", views.portal_sign_out, name="portal-sign-out"),
    path("sign-out/back/", views.portal_sign_in, name="portal-sign-in"),
    path("passes/", views.portal_passes, name="portal-passes"),
    path("passes/<int:pass_id>/cancel/", views.portal_pass_cancel, name="portal-pass-cancel"),
    path("grievances/", views.portal_grievances, name="portal-grievances"),
    path("grievances/new/", views.portal_grievance_new, name="portal-grievance-new"),
    path("grievances/<int:grievance_id>/", views.portal_grievance, name="portal-grievance"),
]

urlpatterns = [
    path("dashboard/", include(staff_patterns)),
    path("portal/", include(portal_patterns)),
]
