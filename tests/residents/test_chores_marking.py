"""Staff mark each chore done, missed or excused; the mark records who and when."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.exceptions import Conflict, DomainError, NotAllowed
from residents.chores import services
from residents.models import ChoreAssignment

from .chores_factories import ChoreFactory, this_monday

Status = ChoreAssignment.Status


@pytest.fixture
def today(house):
    return house.organization.today()


@pytest.fixture
def assignments(house, resident_member):
    """This week's and next week's kitchen duty, all resident_member's (the only resident)."""
    ChoreFactory(house=house, name="Kitchen")
    monday = this_monday(house)
    services.chore_rotation_generate(actor=None, house=house, week_start=monday)
    services.chore_rotation_generate(actor=None, house=house, week_start=monday + timedelta(weeks=1))
    return ChoreAssignment.objects.order_by("due_date")


def due_on(assignments, day):
    return assignments.get(due_date=day)


@pytest.mark.parametrize("status", ["done", "missed"])
def test_a_chore_due_today_is_marked_with_who_and_when(assignments, today, manager, status):
    before = timezone.now()
    marked = services.chore_assignment_mark(actor=manager, assignment=due_on(assignments, today), status=status)
    marked.refresh_from_db()
    assert marked.status == status
    assert marked.marked_by == manager.user
    assert before <= marked.marked_at <= timezone.now()


def test_an_excuse_needs_a_reason(assignments, today, manager):
    with pytest.raises(DomainError) as error:
        services.chore_assignment_mark(actor=manager, assignment=due_on(assignments, today), status="excused")
    assert error.value.field == "note"
    assert due_on(assignments, today).status == Status.PENDING


def test_an_excuse_can_be_given_ahead(assignments, today, manager):
    later = due_on(assignments, today + timedelta(days=3))
    services.chore_assignment_mark(actor=manager, assignment=later, status="excused", note="Overnight pass")
    later.refresh_from_db()
    assert (later.status, later.note, later.marked_by) == (Status.EXCUSED, "Overnight pass", manager.user)


@pytest.mark.parametrize("status", ["done", "missed"])
def test_a_future_chore_cannot_be_marked_done_or_missed(assignments, today, manager, status):
    later = due_on(assignments, today + timedelta(days=3))
    with pytest.raises(DomainError) as error:
        services.chore_assignment_mark(actor=manager, assignment=later, status=status)
    assert error.value.field == "status"
    later.refresh_from_db()
    assert later.status == Status.PENDING
    assert later.marked_at is None


@pytest.mark.parametrize("status", ["pending", "cancelled", "finished"])
def test_only_done_missed_or_excused_are_marks(assignments, today, manager, status):
    with pytest.raises(DomainError) as error:
        services.chore_assignment_mark(actor=manager, assignment=due_on(assignments, today), status=status)
    assert error.value.field == "status"


def test_a_mark_can_be_corrected_and_the_latest_marker_is_kept(assignments, today, manager, operator):
    chore = due_on(assignments, today)
    services.chore_assignment_mark(actor=manager, assignment=chore, status="missed")
    services.chore_assignment_mark(actor=operator, assignment=chore, status="done", note="Done late")
    chore.refresh_from_db()
    assert (chore.status, chore.marked_by, chore.note) == (Status.DONE, operator.user, "Done late")


def test_a_cancelled_chore_cannot_be_marked(assignments, today, manager):
    chore = due_on(assignments, today)
    ChoreAssignment.objects.filter(pk=chore.pk).update(status=Status.CANCELLED)
    with pytest.raises(Conflict):
        services.chore_assignment_mark(actor=manager, assignment=chore, status="done")


def test_a_resident_cannot_mark_a_chore(assignments, today, resident_member):
    with pytest.raises(NotAllowed):
        services.chore_assignment_mark(actor=resident_member, assignment=due_on(assignments, today), status="done")
    assert due_on(assignments, today).status == Status.PENDING
