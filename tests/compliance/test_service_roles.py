"""The certification services check the acting member's role themselves: a manager acts only on their own houses,
so a caller that forgets the page's or the API's guard still cannot touch another house."""

from decimal import Decimal

import pytest

from accounts.exceptions import NotAllowed
from compliance.models import CorrectiveAction, Drill, Inspection, SafetyEquipment, SafetyPolicy
from compliance.services import inspections as inspection_services
from compliance.services import safety as safety_services
from compliance.services.drills import drill_log

from .conftest import aware, upload


@pytest.fixture
def inspection(operator, other_house):
    return inspection_services.inspection_start(actor=operator, house=other_house)


def test_a_manager_cannot_set_the_safety_policy_of_another_house(manager, other_house):
    with pytest.raises(NotAllowed):
        safety_services.safety_policy_create(actor=manager, house=other_house, drill_interval_days=60)
    assert not SafetyPolicy.objects.exists()


def test_a_manager_cannot_change_the_safety_policy_of_another_house(operator, manager, other_house):
    policy = safety_services.safety_policy_create(actor=operator, house=other_house)
    with pytest.raises(NotAllowed):
        safety_services.safety_policy_update(actor=manager, policy=policy, drill_interval_days=60)
    policy.refresh_from_db()
    assert policy.drill_interval_days == 90


def test_a_manager_cannot_register_equipment_in_another_house(manager, other_house, today):
    with pytest.raises(NotAllowed):
        safety_services.safety_equipment_add(
            actor=manager, house=other_house, kind="fire_extinguisher", location="Kitchen", last_serviced_on=today
        )
    assert not SafetyEquipment.objects.exists()


def test_a_manager_cannot_change_equipment_of_another_house(operator, manager, other_house, today):
    equipment = safety_services.safety_equipment_add(
        actor=operator, house=other_house, kind="fire_extinguisher", location="Kitchen", last_serviced_on=today
    )
    with pytest.raises(NotAllowed):
        safety_services.safety_equipment_update(actor=manager, equipment=equipment, is_active=False)
    equipment.refresh_from_db()
    assert equipment.is_active


def test_a_manager_cannot_start_an_inspection_of_another_house(manager, other_house):
    with pytest.raises(NotAllowed):
        inspection_services.inspection_start(actor=manager, house=other_house)
    assert not Inspection.objects.exists()


def test_a_manager_cannot_answer_a_line_of_another_houses_inspection(manager, inspection):
    line = inspection.lines.order_by("position").first()
    with pytest.raises(NotAllowed):
        inspection_services.inspection_line_record(actor=manager, line=line, result="pass")
    line.refresh_from_db()
    assert not line.result


def test_a_manager_cannot_complete_another_houses_inspection(operator, manager, inspection):
    for line in inspection.lines.all():
        inspection_services.inspection_line_record(actor=operator, line=line, result="fail", note="Missing")
    with pytest.raises(NotAllowed):
        inspection_services.inspection_complete(actor=manager, inspection=inspection)
    inspection.refresh_from_db()
    assert inspection.is_open


def test_a_manager_cannot_record_the_fix_of_another_houses_corrective_action(operator, manager, inspection):
    line = inspection.lines.order_by("position").first()
    inspection_services.inspection_line_record(actor=operator, line=line, result="fail", note="Battery dead")
    action = CorrectiveAction.objects.get(line=line)
    with pytest.raises(NotAllowed):
        inspection_services.corrective_action_fix(actor=manager, action=action, note="New battery")
    action.refresh_from_db()
    assert action.is_open


def test_a_manager_cannot_log_a_drill_in_another_house(manager, other_house, today):
    with pytest.raises(NotAllowed):
        drill_log(
            actor=manager, house=other_house, held_at=aware(today, hour=0), residents_present=4,
            evacuation_minutes=Decimal("2.5"),
        )  # fmt: skip
    assert not Drill.objects.exists()


def test_a_manager_cannot_file_a_document_for_another_house(manager, other_house):
    with pytest.raises(NotAllowed):
        upload(manager, other_house, "occupancy_certificate")


def test_a_resident_cannot_log_a_drill_in_their_own_house(resident_member, house, today):
    with pytest.raises(NotAllowed):
        drill_log(
            actor=resident_member, house=house, held_at=aware(today, hour=0), residents_present=4,
            evacuation_minutes=Decimal("2.5"),
        )  # fmt: skip


def test_the_kind_of_registered_equipment_cannot_change_through_the_api(api, manager, house, today):
    equipment = safety_services.safety_equipment_add(
        actor=manager, house=house, kind="fire_extinguisher", location="Kitchen", last_serviced_on=today
    )
    response = api(manager).patch(f"/api/v1/safety-equipment/{equipment.pk}/", {"kind": "naloxone_kit"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"kind": ["This cannot change; register a new item instead."]}
    equipment.refresh_from_db()
    assert equipment.kind == "fire_extinguisher"


def test_a_safety_policy_cannot_move_to_another_house_through_the_api(api, operator, house, other_house):
    policy = safety_services.safety_policy_create(actor=operator, house=house)
    response = api(operator).patch(f"/api/v1/safety-policies/{policy.pk}/", {"house": other_house.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"house": ["A policy cannot move to another house."]}
    policy.refresh_from_db()
    assert policy.house_id == house.pk
