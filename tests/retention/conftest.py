"""The retention tests' world: residents who lived in ``house`` in early 2026, records made then, and the clock
moved on seven years (the organization keeps sensitive records seven years after a discharge) to see what is due."""

from datetime import date

import pytest
import time_machine

from residents.conduct.services import incidents as incident_services
from residents.core.services import stays as stay_services
from tests.clock import local_moment
from tests.factories import admit, operator_of
from tests.residents.drug_tests_factories import record_incident, record_test

KEPT_YEARS = 7
MOVE_IN = date(2026, 1, 5)
DISCHARGED = date(2026, 3, 2)
# Seven years after the discharge, on the organization's calendar (America/Chicago): due from midnight there.
LAST_MINUTE_KEPT = local_moment(2033, 3, 1, 23, 59)
FIRST_MINUTE_DUE = local_moment(2033, 3, 2, 0, 1)
LATER = local_moment(2033, 6, 10)


@pytest.fixture(autouse=True)
def _history_clock():
    # The records are made in March 2026; each test moves the clock on to look at them.
    with time_machine.travel(local_moment(2026, 3, 20), tick=True):
        yield


def at(moment):
    return time_machine.travel(moment, tick=True)


@pytest.fixture
def kept(organization):
    organization.sensitive_records_kept_years = KEPT_YEARS
    organization.save(update_fields=["sensitive_records_kept_years"])
    return organization


def discharge(stay, on=DISCHARGED):
    return stay_services.stay_discharge(
        actor=operator_of(stay.organization), stay=stay, on=on, reason="completed", note=""
    )


def lived_with_records(house, *, move_in=MOVE_IN, discharged=DISCHARGED, resident=None, **fields):
    """A resident who lived in ``house`` from ``move_in`` with two drug tests, an incident and a note, discharged on
    ``discharged`` (None: still living there). Returns the stay."""
    stay = admit(house, on=move_in, resident=resident, **fields)
    actor = operator_of(house.organization)
    record_test(actor, stay.resident, on=date(2026, 1, 20))
    record_test(actor, stay.resident, on=date(2026, 2, 10), result="positive", positive_substances=["thc"])
    record_incident(actor, house, on=date(2026, 2, 12), residents=[stay.resident])
    incident_services.resident_note_add(actor=actor, resident=stay.resident, body="Doing well at work.")
    if discharged:
        discharge(stay, on=discharged)
    return stay


@pytest.fixture
def former(house, kept):
    """A resident discharged on March 2, 2026, with two tests, an incident and a note."""
    return lived_with_records(house, legal_first_name="Dale", legal_last_name="Whitaker").resident
