"""The applications API: response times and how an application arrived (read-only), the intake answers (writable),
recording a contact, the interview step, and declining only with a reason."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from residents.core.services.applications import application_create
from residents.models import Application, ApplicationEvent

ARRIVED = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
def application(manager, house):
    with time_machine.travel(ARRIVED, tick=False):
        return application_create(
            actor=manager, first_name="Jordan", last_name="Blake", phone="(555) 100-2000",
            applied_on=date(2026, 3, 2), preferred_house=house,
        )  # fmt: skip


def _url(application, action=""):
    return f"/api/v1/applications/{application.pk}/{action}"


def test_an_application_shows_its_response_times_and_how_it_arrived(api, manager, application):
    data = api(manager).get(_url(application)).json()
    assert {name: data[name] for name in ["received_via", "first_contacted_at", "decided_at", "decline_reason"]} == {
        "received_via": "staff", "first_contacted_at": None, "decided_at": None, "decline_reason": "",
    }  # fmt: skip
    assert data["received_at"].startswith("2026-03-02T")


def test_the_intake_answers_are_recorded_and_corrected(api, manager, house):
    body = {
        "first_name": "Ray", "last_name": "Moss", "phone": "555-0101", "applied_on": "2026-03-02",
        "preferred_house": house.pk, "referred_by": "family", "preferred_move_in": "2026-03-20", "on_moud": True,
        "consent_to_contact": True,
    }  # fmt: skip
    created = api(manager).post("/api/v1/applications/", body, format="json")
    assert created.status_code == 201, created.content
    application = Application.objects.get(pk=created.json()["id"])
    assert (application.referred_by, application.preferred_move_in, application.on_moud) == (
        "family", date(2026, 3, 20), True,
    )  # fmt: skip
    response = api(manager).patch(_url(application), {"on_moud": None, "consent_to_contact": False}, format="json")
    assert response.status_code == 200, response.content
    application.refresh_from_db()
    assert (application.on_moud, application.consent_to_contact) == (None, False)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("received_at", "2026-03-01T15:05:00Z"),
        ("first_contacted_at", "2026-03-02T15:05:00Z"),
        ("decided_at", "2026-03-02T15:05:00Z"),
        ("decline_reason", "No beds"),
        ("received_via", "website"),
    ],
)
def test_response_times_sent_in_an_edit_are_refused_by_name(api, manager, application, name, value):
    response = api(manager).patch(_url(application), {name: value}, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {name: ["This cannot be set here."]}} or name in response.content.decode()
    assert "This cannot be set here." in response.content.decode()
    fresh = Application.objects.get(pk=application.pk)
    assert (fresh.received_at, fresh.first_contacted_at, fresh.decided_at, fresh.decline_reason) == (
        application.received_at, None, None, "",
    )  # fmt: skip
    assert fresh.received_via == "staff"


def test_response_times_sent_with_a_new_application_are_refused_by_name(api, manager, house):
    body = {
        "first_name": "Ray", "last_name": "Moss", "phone": "555-0101", "applied_on": "2026-03-02",
        "first_contacted_at": "2026-03-02T15:05:00Z",
    }  # fmt: skip
    response = api(manager).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400
    assert "first_contacted_at" in response.content.decode()
    assert not Application.objects.exists()


def test_the_contact_action_records_the_first_reply(api, manager, application):
    contacted = ARRIVED + timedelta(hours=4)
    with time_machine.travel(contacted, tick=False):
        response = api(manager).post(_url(application, "contact/"), {"note": "Called back"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "new"
    assert datetime.fromisoformat(response.json()["first_contacted_at"]) == contacted
    assert application.events.latest("pk").note == "Called back"


def test_the_contact_action_refuses_an_unknown_field_and_writes_nothing(api, manager, application):
    events = ApplicationEvent.objects.count()
    response = api(manager).post(_url(application, "contact/"), {"status": "accepted"}, format="json")
    assert response.status_code == 400
    assert ApplicationEvent.objects.count() == events


def test_declining_without_a_reason_is_a_400_and_writes_nothing(api, manager, application):
    events = ApplicationEvent.objects.count()
    response = api(manager).post(_url(application, "move/"), {"status": "declined"}, format="json")
    assert response.status_code == 400
    assert "Give the reason for declining" in response.content.decode()
    application.refresh_from_db()
    assert (application.status, application.first_contacted_at, ApplicationEvent.objects.count()) == (
        "new", None, events,
    )  # fmt: skip


def test_declining_with_a_reason_shows_it(api, manager, application):
    response = api(manager).post(
        _url(application, "move/"), {"status": "declined", "note": "Needs medical detox first"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["decline_reason"]) == ("declined", "Needs medical detox first")
    assert response.json()["decided_at"] is not None


def test_the_interview_step_is_offered(api, manager, application):
    response = api(manager).post(_url(application, "move/"), {"status": "interview"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "interview"


def test_correcting_an_application_from_the_public_form_shows_its_history_with_no_one_as_the_first_actor(
    api, manager, house
):
    from residents.core.services.applications import application_receive

    received = application_receive(
        organization=house.organization, received_via="website", first_name="Sam", last_name="Ortiz",
        phone="(555) 100-3000", preferred_house=house,
    )  # fmt: skip

    response = api(manager).patch(_url(received), {"notes": "Prefers a lower bunk"}, format="json")

    assert response.status_code == 200
    assert [event["actor_name"] for event in response.json()["events"]] == [""]
