"""The resident portal, under /portal/."""

from django.urls import path

from residents.portal.views import actions, language, sections

urlpatterns = [
    path("", sections.portal, name="portal"),
    path("rules/", sections.portal_rules, name="portal-rules"),
    path("rules/<int:rule_set_id>/sign/", sections.portal_rules_sign, name="portal-rules-sign"),
    path("chores/", sections.portal_chores, name="portal-chores"),
    path("tests/", sections.portal_tests, name="portal-tests"),
    path("meetings/", actions.portal_meetings, name="portal-meetings"),
    path("phase/", sections.portal_phase, name="portal-phase"),
    path("sign-out/", actions.portal_sign_out, name="portal-sign-out"),
    path("sign-out/back/", actions.portal_sign_in, name="portal-sign-in"),
    path("passes/", actions.portal_passes, name="portal-passes"),
    path("passes/<int:pass_id>/cancel/", actions.portal_pass_cancel, name="portal-pass-cancel"),
    path("grievances/", actions.portal_grievances, name="portal-grievances"),
    path("grievances/new/", actions.portal_grievance_new, name="portal-grievance-new"),
    path("grievances/<int:grievance_id>/", actions.portal_grievance, name="portal-grievance"),
    path("language/", language.portal_language, name="portal-language"),
]
