"""Staff pages for house life, under /dashboard/ (included from ``residents.urls``)."""

from django.urls import path

from .views.housepages import chores, drug_tests, meetings, operator, resident_actions, rules, signouts

HOUSE = "houses/<int:house_id>/"
RESIDENT = "residents/<int:resident_id>/"

urlpatterns = [
    path(f"{HOUSE}rules/", rules.house_rules, name="house-rules"),
    path(f"{HOUSE}rules/add/", rules.house_rule_add, name="house-rule-add"),
    path(f"{HOUSE}rules/<int:rule_id>/edit/", rules.house_rule_edit, name="house-rule-edit"),
    path(f"{HOUSE}rules/<int:rule_id>/retire/", rules.house_rule_retire, name="house-rule-retire"),
    path(f"{HOUSE}rules/<int:rule_id>/own-version/", rules.house_rule_override, name="house-rule-override"),
    path(f"{HOUSE}chores/", chores.house_chores, name="house-chores"),
    path(f"{HOUSE}chores/add/", chores.house_chore_add, name="house-chore-add"),
    path(f"{HOUSE}chores/<int:chore_id>/edit/", chores.house_chore_edit, name="house-chore-edit"),
    path(f"{HOUSE}chores/generate/", chores.house_chores_generate, name="house-chores-generate"),
    path(f"{HOUSE}chores/assignments/<int:assignment_id>/mark/", chores.house_chore_mark, name="house-chore-mark"),
    path(f"{HOUSE}drug-tests/", drug_tests.house_drug_tests, name="house-drug-tests"),
    path(f"{HOUSE}drug-tests/draw/", drug_tests.house_draw, name="house-draw"),
    path(f"{HOUSE}drug-tests/draws/<int:draw_id>/", drug_tests.house_draw_replay, name="house-draw-replay"),
    path(
        f"{HOUSE}drug-tests/requests/<int:request_id>/record/", drug_tests.house_test_record, name="house-test-record"
    ),
    path(
        f"{HOUSE}drug-tests/requests/<int:request_id>/cancel/",
        drug_tests.house_test_request_cancel,
        name="house-test-request-cancel",
    ),
    path(f"{HOUSE}drug-tests/<int:test_id>/lab-result/", drug_tests.house_lab_result, name="house-lab-result"),
    path(f"{HOUSE}meetings/", meetings.house_meetings, name="house-meetings"),
    path(f"{HOUSE}meetings/log/", meetings.house_meeting_log, name="house-meeting-log"),
    path(f"{HOUSE}sign-outs/", signouts.house_sign_outs, name="house-sign-outs"),
    path(f"{HOUSE}sign-outs/sign-out/", signouts.house_sign_out, name="house-sign-out"),
    path(f"{HOUSE}sign-outs/<int:stay_id>/sign-in/", signouts.house_sign_in, name="house-sign-in"),
    path(f"{HOUSE}passes/", signouts.house_passes, name="house-passes"),
    path(f"{HOUSE}passes/<int:pass_id>/decide/", signouts.house_pass_decide, name="house-pass-decide"),
    path(f"{HOUSE}passes/<int:pass_id>/return/", signouts.house_pass_return, name="house-pass-return"),
    path(f"{RESIDENT}drug-tests/", resident_actions.resident_test_record, name="resident-test-record"),
    path(f"{RESIDENT}incidents/", resident_actions.resident_incident_log, name="resident-incident-log"),
    path(
        f"{RESIDENT}meetings/<int:attendance_id>/verify/",
        resident_actions.resident_meeting_verify,
        name="resident-meeting-verify",
    ),
    path(
        f"{RESIDENT}phase/start/",
        resident_actions.resident_phase_change,
        {"change": "start"},
        name="resident-phase-start",
    ),
    path(
        f"{RESIDENT}phase/promote/",
        resident_actions.resident_phase_change,
        {"change": "promote"},
        name="resident-phase-promote",
    ),
    path(
        f"{RESIDENT}phase/demote/",
        resident_actions.resident_phase_change,
        {"change": "demote"},
        name="resident-phase-demote",
    ),
    path("phases/", operator.phase_list, name="phases"),
    path("phases/add/", operator.phase_add, name="phase-add"),
    path("phases/<int:phase_id>/edit/", operator.phase_edit, name="phase-edit"),
    path("grievances/", operator.grievance_list, name="grievances"),
    path("grievances/<int:grievance_id>/", operator.grievance_detail, name="grievance"),
    path("grievances/<int:grievance_id>/respond/", operator.grievance_respond, name="grievance-respond"),
    path("grievances/<int:grievance_id>/close/", operator.grievance_close, name="grievance-close"),
]
