"""The staff dashboard, the residents list and each resident's page with its house-life sections and actions, under
/dashboard/."""

from django.urls import path

from residents.dashboard.views import bed_board, dashboard, resident_actions, residents

RESIDENT = "residents/<int:resident_id>/"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("houses/<int:house_id>/beds/", bed_board.bed_board_page, name="bed-board"),
    path("residents/", residents.resident_list, name="residents"),
    path("residents/<int:resident_id>/", residents.resident_detail, name="resident"),
    path("residents/<int:resident_id>/profile/", residents.resident_profile, name="resident-profile"),
    path("residents/<int:resident_id>/portal-login/", residents.resident_portal_login, name="resident-portal-login"),
    path(
        "residents/<int:resident_id>/portal-login/withdraw/",
        residents.resident_portal_invitation_withdraw,
        name="resident-portal-invitation-withdraw",
    ),
    path(
        "residents/<int:resident_id>/portal-login/resend/",
        residents.resident_portal_invitation_resend,
        name="resident-portal-invitation-resend",
    ),
    path(f"{RESIDENT}drug-tests/", resident_actions.resident_test_record, name="resident-test-record"),
    path(f"{RESIDENT}incidents/", resident_actions.resident_incident_log, name="resident-incident-log"),
    path(f"{RESIDENT}planned-move-out/", resident_actions.resident_plan_move_out, name="resident-plan-move-out"),
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
]
