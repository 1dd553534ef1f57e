"""Safety inspections: the generated checklist, answering lines, corrective actions, completion."""

from datetime import timedelta

import pytest

from accounts.exceptions import Conflict, DomainError
from compliance.models import CorrectiveAction, Inspection, SafetyEquipment, SafetyPolicy
from compliance.services import inspections as services
from compliance.services import safety as safety_services
from houses.models import Room
from tests.factories import RoomFactory


@pytest.fixture
def rooms(house):
    """Maple House: Room 1 (floor 1, from the factory), Room 2 on floor 1 and Attic on floor 2."""
    RoomFactory(house=house, name="Room 2", floor=1)
    RoomFactory(house=house, name="Attic", floor=2)
    return list(Room.objects.filter(house=house))


def _items(inspection):
    return [(line.item, line.label) for line in inspection.lines.order_by("position")]


def _answer_all(actor, inspection, result="pass"):
    for line in inspection.lines.order_by("position"):
        extra = {}
        if line.item == "fire_extinguisher":
            extra = {"location": line.location or "Kitchen", "last_serviced_on": inspection.inspected_on}
        if line.item == "naloxone_kit":
            extra = {
                "location": line.location or "Hall", "quantity": 2,
                "expires_on": inspection.inspected_on + timedelta(days=300),
            }  # fmt: skip
        services.inspection_line_record(actor=actor, line=line, result=result, note="checked", **extra)


def test_the_checklist_has_a_smoke_detector_per_bedroom_and_per_floor(manager, house, rooms):
    inspection = services.inspection_start(actor=manager, house=house)
    items = _items(inspection)
    bedrooms = [label for item, label in items if item == "smoke_bedroom"]
    floors = [label for item, label in items if item == "smoke_floor"]
    assert bedrooms == [
        "Smoke detector works in Room 1",
        "Smoke detector works in Room 2",
        "Smoke detector works in Attic",
    ]
    assert floors == ["Smoke detector works on floor 1", "Smoke detector works on floor 2"]


def test_carbon_monoxide_detectors_are_checked_on_every_floor_only_where_there_is_gas(manager, house, rooms):
    without_gas = services.inspection_start(actor=manager, house=house)
    assert not [item for item, _ in _items(without_gas) if item == "co_detector"]
    _answer_all(manager, without_gas)
    services.inspection_complete(actor=manager, inspection=without_gas)
    SafetyPolicy.objects.create(organization=house.organization, house=house, has_gas_appliances=True)
    with_gas = services.inspection_start(actor=manager, house=house)
    assert len([item for item, _ in _items(with_gas) if item == "co_detector"]) == 2


def test_each_registered_extinguisher_and_kit_gets_its_own_line(manager, house, today):
    safety_services.safety_equipment_add(
        actor=manager, house=house, kind="fire_extinguisher", location="Kitchen", last_serviced_on=today
    )
    safety_services.safety_equipment_add(
        actor=manager, house=house, kind="fire_extinguisher", location="Upstairs hall", last_serviced_on=today
    )
    safety_services.safety_equipment_add(
        actor=manager,
        house=house,
        kind="naloxone_kit",
        location="Office",
        quantity=2,
        expires_on=today + timedelta(days=90),
    )
    items = _items(services.inspection_start(actor=manager, house=house))
    assert ("fire_extinguisher", "Fire extinguisher (Kitchen)") in items
    assert ("fire_extinguisher", "Fire extinguisher (Upstairs hall)") in items
    assert ("naloxone_kit", "Naloxone kit (Office)") in items
    assert items[-2:] == [
        ("first_aid_kit", "First-aid kit stocked and easy to find"),
        ("exits_clear", "Exits and hallways clear"),
    ]


def test_a_house_without_registered_equipment_gets_one_line_to_record_each(manager, house):
    items = [item for item, _ in _items(services.inspection_start(actor=manager, house=house))]
    assert items.count("fire_extinguisher") == 1
    assert items.count("naloxone_kit") == 1


def test_a_house_has_one_inspection_in_progress_at_a_time(manager, house):
    services.inspection_start(actor=manager, house=house)
    with pytest.raises(Conflict) as refused:
        services.inspection_start(actor=manager, house=house)
    assert refused.value.field == "house"


def test_an_inspection_cannot_be_dated_in_the_future(manager, house, today):
    with pytest.raises(DomainError) as refused:
        services.inspection_start(actor=manager, house=house, inspected_on=today + timedelta(days=1))
    assert refused.value.field == "inspected_on"
    assert not Inspection.objects.exists()


def test_a_closed_house_is_not_inspected(manager, house):
    house.status = "closed"
    house.save()
    with pytest.raises(DomainError):
        services.inspection_start(actor=manager, house=house)


def test_a_failed_line_opens_a_corrective_action_due_in_seven_days(manager, house, today):
    inspection = services.inspection_start(actor=manager, house=house)
    line = inspection.lines.get(item="exits_clear")
    services.inspection_line_record(actor=manager, line=line, result="fail", note="Bikes in the hallway")
    action = CorrectiveAction.objects.get(line=line)
    assert action.due_on == today + timedelta(days=7)
    assert action.description == "Exits and hallways clear: Bikes in the hallway"
    assert action.is_open
    assert action.house == house


def test_a_failed_line_may_set_its_own_due_date(manager, house, today):
    inspection = services.inspection_start(actor=manager, house=house)
    line = inspection.lines.get(item="first_aid_kit")
    services.inspection_line_record(
        actor=manager, line=line, result="fail", note="Empty", due_on=today + timedelta(days=2)
    )
    assert CorrectiveAction.objects.get(line=line).due_on == today + timedelta(days=2)


def test_a_fix_cannot_be_due_before_the_inspection(manager, house, today):
    inspection = services.inspection_start(actor=manager, house=house)
    line = inspection.lines.get(item="first_aid_kit")
    with pytest.raises(DomainError) as refused:
        services.inspection_line_record(
            actor=manager, line=line, result="fail", note="Empty", due_on=today - timedelta(days=1)
        )
    assert refused.value.field == "due_on"


def test_a_fail_needs_a_note(manager, house):
    inspection = services.inspection_start(actor=manager, house=house)
    with pytest.raises(DomainError) as refused:
        services.inspection_line_record(actor=manager, line=inspection.lines.first(), result="fail", note=" ")
    assert refused.value.field == "note"
    assert not CorrectiveAction.objects.exists()


def test_passing_a_failed_line_again_records_the_fix_during_the_inspection(manager, house, today):
    inspection = services.inspection_start(actor=manager, house=house)
    line = inspection.lines.get(item="first_aid_kit")
    services.inspection_line_record(actor=manager, line=line, result="fail", note="No gloves")
    services.inspection_line_record(actor=manager, line=line, result="pass", note="Restocked from the office")
    action = CorrectiveAction.objects.get(line=line)
    assert action.fixed_on == today
    assert action.fixed_by == manager.user
    assert "Restocked from the office" in action.fix_note


def test_failing_a_line_twice_keeps_one_open_action(manager, house):
    inspection = services.inspection_start(actor=manager, house=house)
    line = inspection.lines.get(item="first_aid_kit")
    services.inspection_line_record(actor=manager, line=line, result="fail", note="No gloves")
    services.inspection_line_record(actor=manager, line=line, result="fail", note="No gloves, no bandages")
    assert CorrectiveAction.objects.get(line=line).description.endswith("No gloves, no bandages")


def test_completing_with_unanswered_lines_is_refused_naming_lines(manager, house):
    inspection = services.inspection_start(actor=manager, house=house)
    services.inspection_line_record(actor=manager, line=inspection.lines.first(), result="pass")
    with pytest.raises(DomainError) as refused:
        services.inspection_complete(actor=manager, inspection=inspection)
    assert refused.value.field == "lines"
    assert "not answered" in refused.value.message
    inspection.refresh_from_db()
    assert inspection.status == "in_progress"


def test_a_completed_inspection_records_who_and_when_and_cannot_change(manager, house):
    inspection = services.inspection_start(actor=manager, house=house)
    _answer_all(manager, inspection)
    services.inspection_complete(actor=manager, inspection=inspection, notes="All good")
    inspection.refresh_from_db()
    assert inspection.status == "completed"
    assert inspection.completed_by == manager.user
    assert inspection.completed_at is not None
    with pytest.raises(Conflict):
        services.inspection_line_record(actor=manager, line=inspection.lines.first(), result="fail", note="late")


def test_completing_registers_the_equipment_recorded_on_unregistered_lines(manager, house, today):
    inspection = services.inspection_start(actor=manager, house=house)
    _answer_all(manager, inspection)
    services.inspection_complete(actor=manager, inspection=inspection)
    kinds = sorted(SafetyEquipment.objects.filter(house=house).values_list("kind", "location"))
    assert kinds == [("fire_extinguisher", "Kitchen"), ("naloxone_kit", "Hall")]


def test_completing_updates_what_was_seen_of_registered_equipment(manager, house, today):
    kit = safety_services.safety_equipment_add(
        actor=manager,
        house=house,
        kind="naloxone_kit",
        location="Office",
        quantity=2,
        expires_on=today + timedelta(days=10),
    )
    inspection = services.inspection_start(actor=manager, house=house)
    _answer_all(manager, inspection)
    services.inspection_complete(actor=manager, inspection=inspection)
    kit.refresh_from_db()
    assert kit.expires_on == today + timedelta(days=300)


def test_an_extinguisher_serviced_more_than_a_year_ago_cannot_pass(manager, house, today):
    inspection = services.inspection_start(actor=manager, house=house)
    line = inspection.lines.get(item="fire_extinguisher")
    with pytest.raises(DomainError) as refused:
        services.inspection_line_record(
            actor=manager, line=line, result="pass", location="Kitchen", last_serviced_on=today - timedelta(days=400)
        )
    assert refused.value.field == "result"


def test_an_extinguisher_needs_its_location_and_service_date_to_pass(manager, house):
    inspection = services.inspection_start(actor=manager, house=house)
    line = inspection.lines.get(item="fire_extinguisher")
    with pytest.raises(DomainError) as refused:
        services.inspection_line_record(actor=manager, line=line, result="pass")
    assert refused.value.field == "location"


def test_an_expired_naloxone_kit_cannot_pass(manager, house, today):
    inspection = services.inspection_start(actor=manager, house=house)
    line = inspection.lines.get(item="naloxone_kit")
    with pytest.raises(DomainError) as refused:
        services.inspection_line_record(
            actor=manager, line=line, result="pass", location="Office", quantity=1, expires_on=today - timedelta(days=1)
        )
    assert refused.value.field == "result"


def test_an_empty_naloxone_kit_cannot_pass(manager, house, today):
    inspection = services.inspection_start(actor=manager, house=house)
    line = inspection.lines.get(item="naloxone_kit")
    with pytest.raises(DomainError) as refused:
        services.inspection_line_record(
            actor=manager, line=line, result="pass", location="Office", quantity=0, expires_on=today + timedelta(days=9)
        )
    assert refused.value.field == "quantity"


def test_equipment_facts_on_a_line_that_takes_none_are_refused(manager, house):
    inspection = services.inspection_start(actor=manager, house=house)
    with pytest.raises(DomainError) as refused:
        services.inspection_line_record(
            actor=manager, line=inspection.lines.get(item="exits_clear"), result="pass", quantity=3
        )
    assert refused.value.field == "quantity"


def test_recording_a_fix_says_who_when_and_how(operator, manager, house, today):
    inspection = services.inspection_start(actor=manager, house=house)
    line = inspection.lines.get(item="exits_clear")
    services.inspection_line_record(actor=manager, line=line, result="fail", note="Boxes on the stairs")
    action = CorrectiveAction.objects.get(line=line)
    services.corrective_action_fix(actor=operator, action=action, note="Moved to the garage")
    action.refresh_from_db()
    assert (action.fixed_on, action.fixed_by, action.fix_note) == (today, operator.user, "Moved to the garage")
    with pytest.raises(Conflict):
        services.corrective_action_fix(actor=operator, action=action, note="again")


@pytest.mark.parametrize(
    ("days", "note", "field"), [(1, "Done", "fixed_on"), (-1, "Done", "fixed_on"), (0, "", "note")]
)
def test_a_fix_needs_a_note_and_a_date_from_the_inspection_to_today(manager, house, today, days, note, field):
    inspection = services.inspection_start(actor=manager, house=house, inspected_on=today - timedelta(days=3))
    line = inspection.lines.get(item="exits_clear")
    services.inspection_line_record(actor=manager, line=line, result="fail", note="Boxes")
    fixed_on = today + timedelta(days=days) if days > 0 else inspection.inspected_on + timedelta(days=days)
    with pytest.raises(DomainError) as refused:
        services.corrective_action_fix(
            actor=manager, action=CorrectiveAction.objects.get(line=line), note=note, fixed_on=fixed_on
        )
    assert refused.value.field == field
