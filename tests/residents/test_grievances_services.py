"""The rules of grievances: who files, who answers, and the dated stages open -> responded -> closed."""

from datetime import date

import pytest

from accounts.exceptions import Conflict, DomainError
from residents.conduct.services import grievances as services
from residents.core.services import stays as stay_services
from residents.models import Grievance
from tests.factories import MembershipFactory

from .rules_factories import file_grievance


def test_a_resident_files_a_grievance_about_their_house(resident_member, house):
    grievance = file_grievance(resident_member)
    assert grievance.status == Grievance.Status.OPEN
    assert grievance.house == house
    assert grievance.resident == resident_member.resident
    assert grievance.filed_by == resident_member.user
    assert grievance.filed_at is not None
    assert grievance.organization == house.organization


def test_a_grievance_may_name_the_staff_member_it_is_about(resident_member, manager):
    grievance = file_grievance(resident_member, subject="Spoken to rudely", about="staff", staff_member=manager)
    assert grievance.staff_member == manager


def test_a_staff_member_is_named_only_when_the_grievance_is_about_staff(resident_member, manager):
    with pytest.raises(DomainError) as error:
        file_grievance(resident_member, about="house", staff_member=manager)
    assert error.value.field == "staff_member"


def test_a_named_staff_member_must_be_staff_of_the_organization(resident_member, outsider, organization):
    neighbour = MembershipFactory(organization=organization, role="resident")
    for member in (outsider, neighbour):
        with pytest.raises(DomainError) as error:
            file_grievance(resident_member, about="staff", staff_member=member)
        assert error.value.field == "staff_member"
    assert not Grievance.objects.exists()


def test_only_a_resident_files_a_grievance(operator, manager):
    for member in (operator, manager):
        with pytest.raises(DomainError) as error:
            file_grievance(member)
        assert error.value.status_code == 403


def test_a_former_resident_cannot_file_here(resident_member, operator):
    stay = resident_member.resident.stays.get()
    stay_services.stay_discharge(actor=operator, stay=stay, on=date(2026, 2, 1), reason="completed")
    with pytest.raises(DomainError):
        file_grievance(resident_member)


def test_an_operator_responds_and_every_stage_is_dated(resident_member, operator):
    grievance = services.grievance_respond(
        actor=operator, grievance=file_grievance(resident_member), response="The repair is booked for Monday."
    )
    assert grievance.status == Grievance.Status.RESPONDED
    assert grievance.responded_by == operator.user
    assert grievance.responded_at >= grievance.filed_at
    assert grievance.closed_at is None
    closed = services.grievance_close(actor=operator, grievance=grievance)
    assert closed.status == Grievance.Status.CLOSED
    assert closed.closed_by == operator.user
    assert closed.closed_at >= closed.responded_at
    assert closed.response == "The repair is booked for Monday."


def test_an_open_grievance_can_be_closed_with_a_response(resident_member, operator):
    grievance = services.grievance_close(
        actor=operator, grievance=file_grievance(resident_member), response="Fixed the same day."
    )
    assert grievance.status == Grievance.Status.CLOSED
    assert grievance.response == "Fixed the same day."
    assert grievance.responded_at == grievance.closed_at


def test_responding_with_close_answers_and_closes_in_one_step(resident_member, operator):
    grievance = services.grievance_respond(
        actor=operator, grievance=file_grievance(resident_member), response="Done.", close=True
    )
    assert grievance.status == Grievance.Status.CLOSED


def test_an_open_grievance_cannot_be_closed_without_a_response(resident_member, operator):
    grievance = file_grievance(resident_member)
    with pytest.raises(DomainError) as error:
        services.grievance_close(actor=operator, grievance=grievance)
    assert error.value.field == "response"
    grievance.refresh_from_db()
    assert grievance.status == Grievance.Status.OPEN


def test_a_closed_grievance_cannot_be_answered_again(resident_member, operator):
    grievance = services.grievance_respond(
        actor=operator, grievance=file_grievance(resident_member), response="Done.", close=True
    )
    with pytest.raises(Conflict) as error:
        services.grievance_respond(actor=operator, grievance=grievance, response="More.")
    assert error.value.field == "status"
    with pytest.raises(Conflict):
        services.grievance_close(actor=operator, grievance=grievance)


def test_an_answer_is_never_overwritten(resident_member, operator):
    grievance = services.grievance_respond(actor=operator, grievance=file_grievance(resident_member), response="A")
    with pytest.raises(Conflict):
        services.grievance_respond(actor=operator, grievance=grievance, response="B")
    with pytest.raises(DomainError) as error:
        services.grievance_close(actor=operator, grievance=grievance, response="B")
    assert error.value.field == "response"
    grievance.refresh_from_db()
    assert (grievance.response, grievance.status) == ("A", Grievance.Status.RESPONDED)


def test_a_manager_cannot_answer_a_grievance(resident_member, manager):
    with pytest.raises(DomainError) as error:
        services.grievance_respond(actor=manager, grievance=file_grievance(resident_member), response="Nothing to see")
    assert error.value.status_code == 403


def test_another_organizations_operator_cannot_answer(resident_member, outsider):
    with pytest.raises(DomainError):
        services.grievance_respond(actor=outsider, grievance=file_grievance(resident_member), response="Hi")
