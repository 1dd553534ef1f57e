"""Incident and resident-note rules, in the services."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.exceptions import DomainError, NotAllowed
from residents.conduct.services import incidents as services
from residents.core.services import stays as stay_services
from residents.models import Incident, ResidentNote
from tests.factories import admit

from .drug_tests_factories import days_ago, record_incident


@pytest.fixture
def resident(operator, organization, house):
    return admit(house, on=days_ago(organization, 40), actor=operator).resident


def _refused(callable_, field):
    with pytest.raises(DomainError) as error:
        callable_()
    assert error.value.field == field
    return error.value


def test_an_incident_records_who_what_and_the_consequence(manager, organization, house, resident):
    incident = record_incident(
        manager, house, on=days_ago(organization, 3), residents=[resident], category="guest_policy",
        severity="medium", rule_reference="Rule 7: no overnight guests", action="restriction",
        follow_up_on=organization.today(),
    )  # fmt: skip
    assert list(incident.residents.all()) == [resident]
    assert (incident.organization, incident.reported_by, incident.fine_amount) == (organization, manager.user, None)


def test_residents_involved_must_live_in_the_house_that_day(operator, organization, house, other_house, resident):
    elsewhere = admit(other_house, on=days_ago(organization, 40), actor=operator).resident
    error = _refused(
        lambda: record_incident(operator, house, on=days_ago(organization, 3), residents=[resident, elsewhere]),
        "residents",
    )
    assert str(elsewhere) in error.message
    assert not Incident.objects.exists()


def test_a_resident_who_had_not_moved_in_yet_cannot_be_involved(operator, organization, house, resident):
    _refused(lambda: record_incident(operator, house, on=days_ago(organization, 41), residents=[resident]), "residents")


def test_a_resident_is_still_involved_on_the_day_they_move_out(operator, organization, house, resident):
    stay_services.stay_discharge(
        actor=operator, stay=resident.stays.get(), on=days_ago(organization, 5), reason="rule_violation"
    )
    incident = record_incident(
        operator, house, on=days_ago(organization, 5), residents=[resident], action="discharge", severity="high"
    )
    assert list(incident.residents.all()) == [resident]


def test_a_fine_needs_a_positive_amount(manager, organization, house, resident):
    day = days_ago(organization, 2)
    for amount in [None, Decimal("0"), Decimal("-5")]:
        _refused(
            lambda amount=amount: record_incident(
                manager, house, on=day, residents=[resident], action="fine", fine_amount=amount
            ),
            "fine_amount",
        )
    assert not Incident.objects.exists()


def test_a_fine_amount_is_kept_to_the_cent(manager, organization, house, resident):
    incident = record_incident(
        manager, house, on=days_ago(organization, 2), residents=[resident], action="fine", fine_amount=Decimal("25")
    )
    assert Incident.objects.get(pk=incident.pk).fine_amount == Decimal("25.00")


def test_only_a_fine_carries_an_amount(manager, organization, house, resident):
    _refused(
        lambda: record_incident(
            manager,
            house,
            on=days_ago(organization, 2),
            residents=[resident],
            action="warning",
            fine_amount=Decimal("10"),
        ),
        "fine_amount",
    )


def test_an_action_applies_to_someone(manager, organization, house):
    _refused(lambda: record_incident(manager, house, on=days_ago(organization, 2), action="warning"), "residents")
    incident = record_incident(manager, house, on=days_ago(organization, 2), category="property_damage")
    assert incident.action == ""


def test_an_incident_cannot_be_in_the_future(manager, organization, house):
    later = timezone.now() + timedelta(hours=3)
    _refused(lambda: record_incident(manager, house, occurred_at=later), "occurred_at")


def test_a_follow_up_is_not_before_the_incident(manager, organization, house):
    _refused(
        lambda: record_incident(manager, house, on=days_ago(organization, 2), follow_up_on=days_ago(organization, 3)),
        "follow_up_on",
    )


@pytest.mark.parametrize(
    ("field", "value"), [("category", "vibes"), ("severity", "extreme"), ("action", "spanking"), ("what_happened", " ")]
)
def test_choices_and_a_description_are_checked(manager, organization, house, field, value):
    _refused(lambda: record_incident(manager, house, on=days_ago(organization, 2), **{field: value}), field)


def test_an_update_is_checked_against_the_same_rules(manager, organization, house, resident):
    incident = record_incident(manager, house, on=days_ago(organization, 2), residents=[resident])
    _refused(lambda: services.incident_update(actor=manager, incident=incident, action="fine"), "fine_amount")
    updated = services.incident_update(
        actor=manager, incident=incident, action="fine", fine_amount=Decimal("40"), severity="medium"
    )
    assert (updated.action, updated.fine_amount, updated.severity) == ("fine", Decimal("40.00"), "medium")


def test_an_update_can_remove_everyone_only_with_the_action(manager, organization, house, resident):
    incident = record_incident(manager, house, on=days_ago(organization, 2), residents=[resident])
    _refused(lambda: services.incident_update(actor=manager, incident=incident, residents=[]), "residents")
    services.incident_update(actor=manager, incident=incident, residents=[], action="")
    assert not incident.residents.exists()


def test_an_incident_cannot_move_house(manager, organization, house, other_house, resident):
    incident = record_incident(manager, house, on=days_ago(organization, 2), residents=[resident])
    _refused(lambda: services.incident_update(actor=manager, incident=incident, house=other_house), "house")


def test_a_manager_cannot_record_an_incident_in_a_house_they_do_not_run(manager, operator, organization, other_house):
    elsewhere = admit(other_house, on=days_ago(organization, 30), actor=operator).resident
    with pytest.raises(NotAllowed):
        record_incident(manager, other_house, on=days_ago(organization, 2), residents=[elsewhere])
    assert not Incident.objects.exists()


def test_an_incident_time_is_checked_in_the_organizations_zone(manager, organization, house, resident):
    # 02:00 UTC is the evening before in Chicago: the day before the resident moved in.
    move_in = days_ago(organization, 40)
    early = datetime(move_in.year, move_in.month, move_in.day, 2, tzinfo=UTC)
    _refused(lambda: record_incident(manager, house, occurred_at=early, residents=[resident]), "residents")


# Resident notes


def test_a_note_is_filed_under_the_residents_house(manager, house, resident):
    note = services.resident_note_add(actor=manager, resident=resident, body="Started a new job at the bakery.")
    assert (note.house, note.author, note.organization_id) == (house, manager.user, house.organization_id)


def test_a_note_about_a_past_resident_is_filed_under_their_last_house(operator, organization, house, resident):
    stay_services.stay_discharge(
        actor=operator, stay=resident.stays.get(), on=days_ago(organization, 5), reason="completed"
    )
    note = services.resident_note_add(actor=operator, resident=resident, body="Called to say he is doing well.")
    assert note.house == house


def test_a_note_needs_a_body(manager, resident):
    _refused(lambda: services.resident_note_add(actor=manager, resident=resident, body="  "), "body")


def test_a_manager_cannot_note_a_resident_of_another_house(manager, operator, organization, other_house):
    elsewhere = admit(other_house, on=days_ago(organization, 30), actor=operator).resident
    _refused(
        lambda: services.resident_note_add(actor=manager, resident=elsewhere, body="x"),
        "resident",
    )


def test_a_note_cannot_be_changed_or_deleted(manager, resident):
    note = services.resident_note_add(actor=manager, resident=resident, body="First note")
    note.body = "Edited"
    with pytest.raises(PermissionError):
        note.save()
    with pytest.raises(PermissionError):
        note.delete()
    with pytest.raises(PermissionError):
        ResidentNote.objects.update(body="x")
    assert ResidentNote.objects.get().body == "First note"
