"""Response times stamped right: a withdrawal is no reply, a back-dated record arrived the day it was made, an
application that left new waits for no reply, and the backfill of rows recorded before response times were kept
reads the same rules from their history (or, without one, from the row)."""

import importlib
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.apps import apps as django_apps

from residents.core.selectors.applications import reply_wait
from residents.core.services.applications import application_create, application_move, application_receive
from residents.models import Application, ApplicationEvent
from tests.clock import local_moment

NOW = local_moment(2026, 4, 10, 21, 30)
backfill = importlib.import_module("residents.migrations.0005_filling_beds").response_times_from_history


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def at(moment):
    return time_machine.travel(moment, tick=False)


def received(organization, moment, **fields):
    with at(moment):
        return application_receive(
            organization=organization, received_via="website", first_name="Ada", last_name="Lovell", phone="555-0100",
            **fields,
        )  # fmt: skip


def test_a_withdrawal_from_new_is_no_first_reply(organization, house, operator):
    application = received(organization, local_moment(2026, 3, 2, 9), preferred_house=house)
    with at(local_moment(2026, 3, 2, 10)):
        application = application_move(actor=operator, application=application, to="withdrawn", note="Found a bed")
    assert (application.status, application.first_contacted_at) == ("withdrawn", None)


def test_a_back_dated_staff_application_arrived_at_the_start_of_the_day_it_was_made(organization, house, operator):
    with at(local_moment(2026, 4, 2, 9)):
        application = application_create(
            actor=operator, first_name="Bo", last_name="Dane", phone="555-0101", applied_on=date(2026, 3, 20),
            preferred_house=house,
        )  # fmt: skip
    assert application.received_at == local_moment(2026, 3, 20, 0, 0)


def test_a_staff_application_made_today_arrived_now(organization, house, operator):
    with at(local_moment(2026, 4, 2, 9)):
        application = application_create(
            actor=operator, first_name="Bo", last_name="Dane", phone="555-0101", applied_on=date(2026, 4, 2),
        )  # fmt: skip
    assert application.received_at == local_moment(2026, 4, 2, 9)


def test_an_application_out_of_new_waits_for_no_reply_even_without_a_stamp(organization):
    application = received(organization, local_moment(2026, 4, 9, 9))
    Application.objects.filter(pk=application.pk).update(status="waitlisted")
    application.refresh_from_db()
    assert reply_wait(application, now=NOW) is None


def legacy(organization, *, status, created, changed=None, applied_on=None, **fields):
    """A row as it stood before response times were kept (the migration's defaults), with no history."""
    application = Application.objects.create(
        organization=organization, first_name="Lee", last_name="Gray", phone="555-0102", status=status,
        applied_on=applied_on or created.date(), **fields,
    )  # fmt: skip
    Application.objects.filter(pk=application.pk).update(
        created_at=created, status_changed_at=changed or created, received_at=NOW, referred_by="self"
    )
    return application


def event(application, frm, to, moment, note=""):
    row = ApplicationEvent.objects.create(application=application, from_status=frm, to_status=to, note=note)
    ApplicationEvent.objects.filter(pk=row.pk).update(at=moment)


def filled(application):
    backfill(django_apps, None)
    application.refresh_from_db()
    return application


def test_the_backfill_stamps_a_decided_row_without_history_when_its_status_last_changed(organization):
    changed = local_moment(2026, 1, 12, 14)
    application = filled(legacy(organization, status="accepted", created=local_moment(2026, 1, 10), changed=changed))
    assert (application.first_contacted_at, application.decided_at) == (changed, changed)


def test_the_backfill_stamps_only_the_reply_of_an_undecided_row_without_history(organization):
    changed = local_moment(2026, 1, 12, 14)
    application = filled(legacy(organization, status="waitlisted", created=local_moment(2026, 1, 10), changed=changed))
    assert (application.first_contacted_at, application.decided_at) == (changed, None)


def test_the_backfill_leaves_a_new_or_withdrawn_row_without_history_unreplied(organization):
    new = filled(legacy(organization, status="new", created=local_moment(2026, 1, 10)))
    withdrawn = filled(legacy(organization, status="withdrawn", created=local_moment(2026, 1, 11)))
    assert (new.first_contacted_at, withdrawn.first_contacted_at) == (None, None)


def test_the_backfill_takes_no_withdrawal_for_a_reply(organization):
    application = legacy(organization, status="withdrawn", created=local_moment(2026, 1, 10))
    event(application, "", "new", local_moment(2026, 1, 10))
    event(application, "new", "withdrawn", local_moment(2026, 1, 11))
    assert filled(application).first_contacted_at is None


def test_the_backfill_reads_the_reply_and_decision_from_the_history(organization):
    application = legacy(organization, status="declined", created=local_moment(2026, 1, 10))
    event(application, "", "new", local_moment(2026, 1, 10))
    event(application, "new", "screening", local_moment(2026, 1, 11))
    event(application, "screening", "declined", local_moment(2026, 1, 13), note="No bed")
    application = filled(application)
    assert (application.first_contacted_at, application.decided_at, application.decline_reason) == (
        local_moment(2026, 1, 11), local_moment(2026, 1, 13), "No bed",
    )  # fmt: skip


def test_the_backfill_receives_a_back_dated_row_at_the_start_of_the_day_it_applied(organization):
    application = filled(
        legacy(organization, status="new", created=local_moment(2026, 3, 2, 9), applied_on=date(2026, 2, 20))
    )
    assert application.received_at == datetime.combine(date(2026, 2, 20), time.min, tzinfo=organization.tzinfo)


def test_the_backfill_receives_a_row_made_the_day_it_applied_when_recorded(organization):
    created = local_moment(2026, 3, 2, 9)
    application = filled(legacy(organization, status="new", created=created))
    assert application.received_at == created


def test_the_backfill_says_other_referred_a_row_that_names_its_source(organization):
    named = filled(legacy(organization, status="new", created=local_moment(2026, 3, 2), referral_source="Pastor Mike"))
    unnamed = filled(legacy(organization, status="new", created=local_moment(2026, 3, 3) + timedelta(hours=1)))
    assert (named.referred_by, unnamed.referred_by) == ("other", "self")
