"""Response times: when an application arrived, when someone first replied, when it was decided; declining says why;
erasing at the applicant's request leaves nothing behind."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from accounts.exceptions import Conflict, Invalid
from residents.core.services.applications import (
    application_admit,
    application_create,
    application_erase,
    application_move,
    application_receive,
    application_record_contact,
)
from residents.models import Application, ApplicationEvent
from tests.erased import assert_nothing_personal_left

ARRIVED = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
def application(manager, house):
    with time_machine.travel(ARRIVED, tick=False):
        return application_create(
            actor=manager, first_name="Jordan", last_name="Blake", phone="(555) 100-2000",
            applied_on=date(2026, 3, 2), preferred_house=house,
        )  # fmt: skip


def _move(actor, application, to, *, at, note=""):
    with time_machine.travel(at, tick=False):
        return application_move(actor=actor, application=application, to=to, note=note)


def test_an_application_records_when_it_arrived_and_nothing_else_yet(application):
    assert (application.received_at, application.first_contacted_at, application.decided_at) == (ARRIVED, None, None)


def test_the_first_step_out_of_new_is_the_first_reply_and_later_steps_keep_it(application, manager):
    first = ARRIVED + timedelta(hours=3)
    application = _move(manager, application, "screening", at=first)
    application = _move(manager, application, "interview", at=first + timedelta(days=1))
    application.refresh_from_db()
    assert application.first_contacted_at == first
    assert application.decided_at is None


def test_the_first_decision_is_stamped_once(application, manager):
    decided = ARRIVED + timedelta(hours=20)
    application = _move(manager, application, "accepted", at=decided)
    application = _move(manager, application, "waitlisted", at=decided + timedelta(days=2))
    application = _move(manager, application, "accepted", at=decided + timedelta(days=3))
    application.refresh_from_db()
    assert (application.first_contacted_at, application.decided_at) == (decided, decided)


def test_admitting_stamps_the_decision_when_none_was_recorded(application, manager, house):
    application = _move(manager, application, "accepted", at=ARRIVED + timedelta(hours=1))
    Application.objects.filter(pk=application.pk).update(decided_at=None)  # accepted before decisions were stamped
    admitted_at = ARRIVED + timedelta(days=2)
    with time_machine.travel(admitted_at, tick=False):
        application_admit(actor=manager, application=application, bed=house.beds.last(), on=date(2026, 3, 4))
    application.refresh_from_db()
    assert (application.status, application.decided_at) == ("admitted", admitted_at)


def test_recording_a_contact_is_the_first_reply_without_changing_the_status(application, manager):
    called = ARRIVED + timedelta(hours=5)
    with time_machine.travel(called, tick=False):
        application_record_contact(actor=manager, application=application, note="Left a voicemail")
    with time_machine.travel(called + timedelta(hours=4), tick=False):
        application_record_contact(actor=manager, application=application, note="Spoke with Jordan")
    application.refresh_from_db()
    assert (application.status, application.first_contacted_at) == ("new", called)
    assert list(application.events.values_list("note", flat=True)) == ["", "Left a voicemail", "Spoke with Jordan"]


def test_declining_without_a_reason_is_refused_and_writes_nothing(application, manager):
    events = ApplicationEvent.objects.count()
    with pytest.raises(Invalid, match="Give the reason for declining"):
        application_move(actor=manager, application=application, to="declined", note="   ")
    application.refresh_from_db()
    assert (application.status, application.first_contacted_at, ApplicationEvent.objects.count()) == (
        "new", None, events,
    )  # fmt: skip


def test_declining_keeps_the_reason_and_stamps_the_decision(application, manager):
    at = ARRIVED + timedelta(hours=6)
    application = _move(manager, application, "declined", at=at, note="We serve men only at this house")
    application.refresh_from_db()
    assert (application.decline_reason, application.decided_at) == ("We serve men only at this house", at)


def test_an_application_from_the_website_arrives_new_and_waiting_for_a_reply(organization, house):
    with time_machine.travel(ARRIVED, tick=False):
        application = application_receive(
            organization=organization, received_via="website", first_name="Sky", last_name="Ames",
            email="sky@example.net", preferred_house=house,
        )  # fmt: skip
    assert (application.status, application.received_at, application.first_contacted_at) == ("new", ARRIVED, None)
    assert application.events.get().note == "Public application form"


def test_erasing_an_application_leaves_nothing_of_the_person(application, manager):
    application_move(actor=manager, application=application, to="screening", note="Jordan sounded keen")
    application_erase(actor=manager, application=application)
    erased = assert_nothing_personal_left(application.pk, "Jordan", "Blake", "100-2000", "keen")
    assert (erased.status, erased.received_at, erased.preferred_house_id) == (
        "withdrawn", application.received_at, application.preferred_house_id,
    )  # fmt: skip


def test_erasing_keeps_a_decided_applications_status(application, manager):
    application_move(actor=manager, application=application, to="declined", note="No bed for Jordan")
    application_erase(actor=manager, application=application)
    assert_nothing_personal_left(application.pk, "Jordan")
    assert Application.objects.get(pk=application.pk).status == "declined"


def test_an_admitted_application_cannot_be_erased(application, manager, house):
    application = application_move(actor=manager, application=application, to="accepted")
    application_admit(actor=manager, application=application, bed=house.beds.last(), on=date(2026, 3, 4))
    with pytest.raises(Conflict, match="admitted applicant's record is kept"):
        application_erase(actor=manager, application=application)
    assert Application.objects.filter(pk=application.pk).exists()
