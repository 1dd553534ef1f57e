"""What the retention policy makes due: counted from the resident's last discharge on the organization's calendar;
never while they live in a house; an incident only once everyone involved is due."""

from datetime import date

from residents.core.services import stays as stay_services
from residents.retention.selectors import due_for_archiving, years_after, years_before
from tests.factories import admit, operator_of
from tests.residents.drug_tests_factories import record_incident

from .conftest import (
    FIRST_MINUTE_DUE,
    LAST_MINUTE_KEPT,
    LATER,
    at,
    discharge,
    lived_with_records,
)


def _due(organization):
    organization.refresh_from_db()
    return due_for_archiving(organization=organization)


def test_records_are_kept_in_view_until_the_last_minute_of_the_kept_years(former, organization):
    with at(LAST_MINUTE_KEPT):
        assert _due(organization).total == 0


def test_records_fall_due_at_midnight_in_the_organizations_time_zone_after_the_kept_years(former, organization):
    with at(FIRST_MINUTE_DUE):
        due = _due(organization)
    assert (len(due.drug_test_ids), len(due.incident_ids), len(due.note_ids)) == (2, 1, 1)
    [row] = due.residents
    assert (row.resident, row.discharged_on, row.due_since) == (former, date(2026, 3, 2), date(2033, 3, 2))
    assert (row.drug_tests, row.incidents, row.notes) == (2, 1, 1)


def test_nothing_is_ever_due_while_the_organization_keeps_records_in_view(house, organization):
    lived_with_records(house)
    with at(LATER):
        assert _due(organization).total == 0


def test_a_resident_still_living_in_a_house_is_never_due(house, kept):
    lived_with_records(house, discharged=None)
    with at(LATER):
        assert _due(kept).total == 0


def test_a_readmitted_resident_living_in_a_house_again_is_not_due(house, kept):
    resident = lived_with_records(house).resident
    with at(LATER):
        admit(house, on=kept.today(), resident=resident)
        assert _due(kept).total == 0


def test_a_readmitted_resident_counts_from_the_last_discharge(house, kept):
    resident = lived_with_records(house).resident
    with at(LATER):
        stay = admit(house, on=date(2033, 1, 10), resident=resident)
        discharge(stay, on=date(2033, 2, 1))
        assert _due(kept).total == 0


def test_an_incident_with_a_resident_still_in_the_house_is_not_due(house, kept):
    gone = lived_with_records(house, discharged=None)
    staying = admit(house, on=date(2026, 1, 6))
    shared = record_incident(
        operator_of(kept), house, on=date(2026, 2, 14), residents=[gone.resident, staying.resident]
    )
    discharge(gone)
    with at(LATER):
        due = _due(kept)
    assert shared.pk not in due.incident_ids
    assert len(due.incident_ids) == 1  # the incident of the discharged resident alone


def test_an_incident_is_due_once_everyone_involved_is(house, kept):
    one = lived_with_records(house, discharged=None)
    two = admit(house, on=date(2026, 1, 6))
    shared = record_incident(operator_of(kept), house, on=date(2026, 2, 14), residents=[one.resident, two.resident])
    discharge(one)
    stay_services.stay_discharge(actor=operator_of(kept), stay=two, on=date(2026, 3, 10), reason="voluntary")
    with at(LATER):
        due = _due(kept)
    assert shared.pk in due.incident_ids
    rows = {row.resident.pk: row.incidents for row in due.residents}
    assert rows == {one.resident.pk: 2, two.resident.pk: 1}


def test_an_incident_involving_nobody_is_never_due(house, kept):
    lived_with_records(house)
    nobody = record_incident(operator_of(kept), house, on=date(2026, 2, 15), residents=[])
    with at(LATER):
        assert nobody.pk not in _due(kept).incident_ids


def test_another_organizations_records_are_never_due_here(house, kept, foreign_house):
    lived_with_records(foreign_house)
    foreign_house.organization.sensitive_records_kept_years = 1
    foreign_house.organization.save()
    with at(LATER):
        assert _due(kept).total == 0


def test_february_29_is_kept_until_march_1_in_a_common_year():
    assert years_after(date(2028, 2, 29), 1) == date(2029, 3, 1)
    assert years_before(date(2029, 3, 1), 1) == date(2028, 3, 1)
    assert years_before(date(2028, 2, 29), 1) == date(2027, 2, 28)
