"""Operator pages: the program's phases and their requirements (list, add, edit), and grievances (list with status
filters, respond, close). House managers are refused both (403)."""

from residents.models import Grievance, Phase

PHASE = {
    "order": "4", "name": "Alumni", "description": "Living on their own, coming back to help.",
    "meetings_per_week": "2", "drug_tests_per_month": "1", "weeknight_curfew": "", "weekend_curfew": "",
    "passes_per_month": "8", "min_days_before_promotion": "0",
}  # fmt: skip


def test_the_phases_page_lists_each_phase_with_its_requirements(page, operator, life):
    response = page(operator).get("/dashboard/phases/")
    assert [phase.name for phase in response.context["phases"]] == ["Stabilization", "Accountability", "Independence"]
    body = response.content.decode()
    assert "10:00 p.m.</span><br>" in body  # Stabilization's weeknight curfew, then its weekend one
    assert "11:00 p.m.</span></td>" in body


def test_adding_a_phase_saves_it_and_says_so(page, operator, life):
    response = page(operator).submit("/dashboard/phases/", PHASE, button="Add phase", follow=True)
    assert "Phase 4, Alumni, added." in response.content.decode()
    phase = Phase.objects.get(organization=operator.organization, name="Alumni")
    assert (phase.order, phase.passes_per_month, phase.weeknight_curfew) == (4, 8, None)


def test_a_phase_order_already_taken_is_refused_beside_the_order(page, operator, life):
    before = Phase.objects.count()
    response = page(operator).submit("/dashboard/phases/", {**PHASE, "order": "2"}, button="Add phase")
    assert response.status_code == 400
    assert response.context["form"].errors == {"order": ["Another phase already has order 2."]}
    assert 'id="id_order_error"' in response.content.decode()
    assert Phase.objects.count() == before


def test_a_morning_curfew_is_refused_beside_it(page, operator, life):
    response = page(operator).submit("/dashboard/phases/", {**PHASE, "weeknight_curfew": "09:00"}, button="Add phase")
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["weeknight_curfew"]
    assert not Phase.objects.filter(name="Alumni").exists()


def test_editing_a_phase_changes_its_requirements(page, operator, life):
    phase = life["phase"]
    data = {"weeknight_curfew": "22:30", "meetings_per_week": "6"}
    response = page(operator).submit(f"/dashboard/phases/{phase.pk}/edit/", data, button="Save phase", follow=True)
    assert "Phase 1, Stabilization, saved." in response.content.decode()
    phase.refresh_from_db()
    assert (phase.meetings_per_week, phase.weeknight_curfew.strftime("%H:%M")) == (6, "22:30")


def test_renaming_a_phase_to_another_phases_name_is_refused(page, operator, life):
    phase = life["phase"]
    response = page(operator).submit(
        f"/dashboard/phases/{phase.pk}/edit/", {**PHASE, "order": "1", "name": "independence"}, button="Save phase"
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["name"]
    phase.refresh_from_db()
    assert phase.name == "Stabilization"


def test_a_manager_cannot_add_a_phase(page, manager, life):
    before = Phase.objects.count()
    # A manager cannot load the phases page at all, so there is no form to submit: post as a hand-made request would.
    assert page(manager).post("/dashboard/phases/add/", PHASE).status_code == 403
    assert Phase.objects.count() == before


def test_grievances_list_the_open_and_answered_by_default_and_filter_by_status(page, operator, life):
    grievance = life["grievance"]
    assert list(page(operator).get("/dashboard/grievances/").context["page_obj"].object_list) == [grievance]
    assert list(page(operator).get("/dashboard/grievances/?status=closed").context["page_obj"].object_list) == []
    body = page(operator).get("/dashboard/grievances/?status=closed").content.decode()
    assert "No grievance has this status." in body


def test_an_unknown_status_filter_is_shown_beside_it(page, operator, life):
    response = page(operator).get("/dashboard/grievances/?status=lost")
    assert response.status_code == 400
    assert "status" in response.context["form"].errors


def test_responding_to_a_grievance_records_the_answer(page, operator, life):
    grievance = life["grievance"]
    data = {"respond-response": "The repair is booked for Monday."}
    url = f"/dashboard/grievances/{grievance.pk}/"
    response = page(operator).submit(url, data, button="Send response", follow=True)
    assert "Response sent." in response.content.decode()
    grievance.refresh_from_db()
    assert (grievance.status, grievance.responded_by) == ("responded", operator.user)
    closed = page(operator).submit(url, button="Close grievance", follow=True)
    assert "closed." in closed.content.decode()
    grievance.refresh_from_db()
    assert grievance.status == Grievance.Status.CLOSED


def test_responding_and_closing_in_one_step(page, operator, life):
    grievance = life["grievance"]
    data = {"respond-response": "Replaced the machine.", "respond-close": "on"}
    page(operator).submit(f"/dashboard/grievances/{grievance.pk}/", data, button="Send response")
    grievance.refresh_from_db()
    assert grievance.status == Grievance.Status.CLOSED


def test_an_empty_response_is_refused_beside_it(page, operator, life):
    grievance = life["grievance"]
    url = f"/dashboard/grievances/{grievance.pk}/"
    response = page(operator).submit(url, {"respond-response": " "}, button="Send response")
    assert response.status_code == 400
    assert list(response.context["respond_form"].errors) == ["response"]
    grievance.refresh_from_db()
    assert grievance.status == "open"


def test_closing_an_unanswered_grievance_needs_a_response_beside_it(page, operator, life):
    grievance = life["grievance"]
    url = f"/dashboard/grievances/{grievance.pk}/"
    # An open grievance's page offers no Close form of its own: it is closed with a response, from the Respond form.
    assert "Close grievance" not in page(operator).get(url).content.decode()
    response = page(operator).submit(url, {"respond-response": "", "respond-close": "on"}, button="Send response")
    assert response.status_code == 400
    assert response.context["respond_form"].errors == {"response": ["This field is required."]}
    assert 'id="id_respond-response_error"' in response.content.decode()
    grievance.refresh_from_db()
    assert grievance.status == "open"
