"""The resident page's house-life actions, under /dashboard/."""

from django.urls import path

from residents.dashboard.views import dashboard, resident_actions

RESIDENT = "residents/<int:resident_id>/"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
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
]
