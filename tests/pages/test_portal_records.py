"""The portal's read-only pages: my chores this week, my drug tests and the tests asked of me, my phase."""

from datetime import timedelta

from accounts.calendar import week_of
from residents.models import PhaseChange
from residents.program.services import phases as phase_services
from residents.program.services import signouts as signout_services

from .portal_factories import (
    ask_for_a_test,
    chore,
    drug_test,
    give_phases,
    neighbour_in,
    outside_meeting,
    overnight_pass,
    portal_client,
    stay_of,
)

# Chores ---------------------------------------------------------------------------------------------------------------


def test_chores_this_week_show_each_day_with_its_status(operator, manager, resident_member):
    stay = stay_of(resident_member)
    monday, sunday = week_of(stay.organization.today())
    chore(stay, day=monday, name="Bathrooms", status="done", marked_by=manager.user)
    chore(stay, day=sunday, name="Laundry room")
    chore(stay, day=monday - timedelta(days=1), name="Last week's porch")
    response = portal_client(resident_member).get("/portal/chores/")
    body = response.content.decode()
    assert [day for day, _chores in response.context["days"]] == [monday, sunday]
    assert 'Bathrooms</p><span class="badge ok">Done</span>' in body
    assert "Laundry room" in body
    assert "Last week's porch" not in body


def test_chores_show_only_the_residents_own(operator, house, resident_member):
    theirs = stay_of(neighbour_in(operator, house))
    chore(theirs, day=theirs.organization.today(), name="Neighbour's kitchen")
    response = portal_client(resident_member).get("/portal/chores/")
    assert response.context["days"] == []
    assert "No chores for you this week." in response.content.decode()


def test_a_cancelled_chore_is_not_shown(resident_member):
    stay = stay_of(resident_member)
    chore(stay, day=stay.organization.today(), name="Taken back", status="cancelled")
    assert portal_client(resident_member).get("/portal/chores/").context["days"] == []


# Drug tests -----------------------------------------------------------------------------------------------------------


def test_tests_show_date_reason_and_result(operator, resident_member):
    stay = stay_of(resident_member)
    drug_test(stay, actor=operator, days_ago=3)
    drug_test(stay, actor=operator, days_ago=1, result="positive", positives=["thc"])
    response = portal_client(resident_member).get("/portal/tests/")
    body = response.content.decode()
    assert [test.result for test in response.context["page_obj"]] == ["positive", "negative"]
    assert '<span class="badge bad">Positive</span>' in body
    assert '<span class="substance">Marijuana (THC)</span>' in body
    assert "Random · Urine cup (instant)" in body


def test_tests_asked_for_show_their_due_date_and_overdue_ones_say_so(operator, resident_member):
    stay = stay_of(resident_member)
    request = ask_for_a_test(stay, actor=operator, due_in=0)
    response = portal_client(resident_member).get("/portal/tests/")
    assert [r.pk for r in response.context["requests"]] == [request.pk]
    assert not response.context["requests"][0].is_overdue
    type(request).objects.filter(pk=request.pk).update(due_on=stay.organization.today() - timedelta(days=2))
    response = portal_client(resident_member).get("/portal/tests/")
    assert response.context["requests"][0].is_overdue
    assert '<span class="badge bad">Overdue</span>' in response.content.decode()


def test_tests_show_only_the_residents_own(operator, house, resident_member):
    theirs = stay_of(neighbour_in(operator, house))
    drug_test(theirs, actor=operator)
    ask_for_a_test(theirs, actor=operator)
    response = portal_client(resident_member).get("/portal/tests/")
    assert list(response.context["page_obj"]) == []
    assert response.context["requests"] == []
    body = response.content.decode()
    assert "No tests recorded yet." in body
    assert "No test is asked of you right now." in body


# My phase -------------------------------------------------------------------------------------------------------------


def test_my_phase_shows_its_requirements_and_the_weeks_standing(operator, resident_member):
    stay = stay_of(resident_member)
    give_phases(operator, stay)
    outside_meeting(stay, days_ago=0)
    response = portal_client(resident_member).get("/portal/phase/")
    body = response.content.decode()
    assert response.context["phase"].name == "Stabilization"
    assert "5 a week" in body  # outside meetings
    assert "10:00 PM" in body  # weeknight curfew
    assert "11:00 PM" in body  # weekend curfew
    assert "1 of 5 meetings" in body
    assert "Next: Accountability." in body


def test_my_phase_lists_the_phase_history_newest_first(operator, resident_member):
    stay = stay_of(resident_member)
    give_phases(operator, stay)
    phase_services.phase_promote(actor=operator, stay=stay, on=stay.move_in + timedelta(days=40), reason="Steady.")
    response = portal_client(resident_member).get("/portal/phase/")
    assert [change.kind for change in response.context["history"]] == ["promotion", "initial"]
    assert "Steady." in response.content.decode()


def test_my_phase_shows_a_missed_requirement_with_its_numbers(operator, manager, resident_member):
    stay = stay_of(resident_member)
    give_phases(operator, stay)  # Stabilization allows no overnight pass
    pass_ = overnight_pass(stay, actor=resident_member, leave_in=0)
    signout_services.pass_approve(actor=manager, pass_=pass_, override=True, reason="Family funeral.")
    response = portal_client(resident_member).get("/portal/phase/")
    assert response.context["standing"].behind
    body = response.content.decode()
    assert "1 of 0 used" in body
    assert '<span class="badge bad">Missed by 1</span>' in body
    assert '<span class="badge bad">Behind</span>' in body


def test_my_phase_without_a_phase_says_what_happens_next(resident_member):
    body = portal_client(resident_member).get("/portal/phase/").content.decode()
    assert "You have no phase yet. Your house manager sets it" in body


def test_my_phase_shows_only_the_residents_own_history(operator, house, resident_member):
    neighbour = stay_of(neighbour_in(operator, house))
    give_phases(operator, stay_of(resident_member), neighbour)
    response = portal_client(resident_member).get("/portal/phase/")
    assert {change.stay_id for change in response.context["history"]} == {stay_of(resident_member).pk}
    assert PhaseChange.objects.filter(stay=neighbour).exists()
