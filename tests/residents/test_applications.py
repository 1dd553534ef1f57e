from datetime import date

import pytest

from accounts.exceptions import Conflict
from residents.core.services.applications import application_admit, application_create, application_move
from residents.models import Application, Resident


@pytest.fixture
def application(manager, house):
    return application_create(
        actor=manager, first_name="Jordan", last_name="Blake", phone="(555) 100-2000", applied_on=date(2026, 2, 1),
        preferred_house=house, payer="family", payer_name="Pat Blake",
    )  # fmt: skip


def _walk(actor, application, *statuses):
    for status in statuses:
        note = "No bed fits their needs" if status == "declined" else ""
        application = application_move(actor=actor, application=application, to=status, note=note)
    return application


def test_an_application_starts_new_with_a_dated_event(application, manager):
    event = application.events.get()
    assert (application.status, event.to_status, event.actor) == ("new", "new", manager.user)


def test_an_application_moves_through_screening_and_the_waitlist(application, manager):
    application = _walk(manager, application, "screening", "waitlisted", "accepted")
    assert application.status == "accepted"
    assert list(application.events.values_list("to_status", flat=True)) == [
        "new",
        "screening",
        "waitlisted",
        "accepted",
    ]


def test_a_declined_application_cannot_be_accepted(application, manager):
    application = _walk(manager, application, "declined")
    with pytest.raises(Conflict, match="declined cannot become accepted"):
        application_move(actor=manager, application=application, to="accepted")


def test_admitting_an_accepted_applicant_creates_the_resident_and_stay(application, manager, house):
    application = _walk(manager, application, "screening", "accepted")
    stay = application_admit(actor=manager, application=application, bed=house.beds.last(), on=date(2026, 3, 1))
    application.refresh_from_db()
    assert application.status == "admitted"
    assert stay.resident == application.resident
    assert (stay.resident.legal_name, stay.resident.payer_name) == ("Jordan Blake", "Pat Blake")


def test_an_application_not_yet_accepted_cannot_be_admitted(application, manager, house):
    with pytest.raises(Conflict, match="Accept it first"):
        application_admit(actor=manager, application=application, bed=house.beds.last(), on=date(2026, 3, 1))
    assert not Resident.objects.filter(legal_last_name="Blake").exists()


def test_a_failed_admission_creates_no_resident(application, manager, house, operator, resident_factory):
    from residents.core.services.stays import BedUnavailable, stay_admit

    bed = house.beds.last()
    stay_admit(actor=operator, resident=resident_factory(), bed=bed, on=date(2026, 2, 1))
    application = _walk(manager, application, "accepted")
    with pytest.raises(BedUnavailable):
        application_admit(actor=manager, application=application, bed=bed, on=date(2026, 3, 1))
    assert not Resident.objects.filter(legal_last_name="Blake").exists()
    application.refresh_from_db()
    assert application.status == "accepted"


def test_the_waitlist_is_ordered_by_application_date(manager, house, api):
    for day, name in [(5, "Late"), (1, "Early"), (3, "Middle")]:
        application = application_create(
            actor=manager, first_name=name, last_name="Applicant", phone="1", applied_on=date(2026, 2, day)
        )
        _walk(manager, application, "waitlisted")
    rows = api(manager).get(f"/api/v1/houses/{house.pk}/waitlist/").json()
    assert [row["first_name"] for row in rows] == ["Early", "Middle", "Late"]


def test_the_waitlist_leaves_out_other_designations_and_houses(manager, house, other_house):
    wrong_gender = application_create(
        actor=manager, first_name="W", last_name="X", phone="1", applied_on=date(2026, 2, 1), preferred_gender="women"
    )
    other = application_create(
        actor=manager,
        first_name="O",
        last_name="Y",
        phone="1",
        applied_on=date(2026, 2, 1),
        preferred_house=other_house,
    )
    for application in (wrong_gender, other):
        _walk(manager, application, "waitlisted")
    assert not Application.objects.waitlist_for(house).exists()


def test_admit_through_the_api_in_one_step(api, manager, application, house):
    _walk(manager, application, "accepted")
    response = api(manager).post(
        f"/api/v1/applications/{application.pk}/admit/", {"bed": house.beds.last().pk, "on": "2026-03-01"}
    )
    assert response.status_code == 201
    assert response.json()["resident_name"] == "Jordan Blake"


def test_moving_to_admitted_by_hand_is_refused(api, manager, application):
    response = api(manager).post(f"/api/v1/applications/{application.pk}/move/", {"status": "admitted"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_an_application_needs_a_way_to_reach_the_applicant(api, manager):
    response = api(manager).post(
        "/api/v1/applications/", {"first_name": "No", "last_name": "Contact", "applied_on": "2026-02-01"}
    )
    assert response.status_code == 400
    assert "phone" in response.json()
