"""Grievances in the portal: filing one, my grievances with status and answer, and each one's dated stages."""

import pytest

from residents.conduct.services import grievances as grievance_services
from residents.models import Grievance

from .portal_factories import grievance, neighbour_in, portal_client

FILE = "File the grievance"
VALID = {"about": "house", "subject": "Dryer broken", "details": "The dryer has not heated for two weeks."}


def test_filing_a_grievance_records_it_and_shows_it_with_a_message(resident_member, house):
    response = portal_client(resident_member).submit("/portal/grievances/new/", VALID, button=FILE, follow=True)
    filed = Grievance.objects.get()
    assert (filed.resident, filed.house, filed.about, filed.status) == (
        resident_member.resident, house, "house", "open",
    )  # fmt: skip
    assert response.redirect_chain == [(f"/portal/grievances/{filed.pk}/", 302)]
    body = response.content.decode()
    assert "Your grievance is filed." in body
    assert "No answer yet." in body


def test_a_grievance_about_staff_may_name_the_staff_member(resident_member, manager):
    data = {**VALID, "about": "staff", "staff_member": manager.pk}
    portal_client(resident_member).submit("/portal/grievances/new/", data, button=FILE)
    assert Grievance.objects.get().staff_member == manager


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"subject": ""}, "subject", "This field is required."),
        ({"details": "   "}, "details", "This field is required."),
        ({"about": "weather"}, "about", "Select a valid choice."),
        ({"about": "house", "staff_member": "MANAGER"}, "staff_member", "Name a staff member only when"),
        ({"about": "staff", "staff_member": "99999"}, "staff_member", "Select a valid choice."),
    ],
)
def test_bad_input_is_shown_beside_its_field_keeps_what_was_typed_and_writes_nothing(
    resident_member, manager, changes, field, message
):
    data = {**VALID, **changes}
    if data.get("staff_member") == "MANAGER":
        data["staff_member"] = manager.pk
    response = portal_client(resident_member).submit("/portal/grievances/new/", data, button=FILE)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body
    assert response.context["form"]["subject"].value() == data["subject"]
    assert not Grievance.objects.exists()


def test_a_resident_cannot_name_a_resident_as_the_staff_member(operator, house, resident_member):
    neighbour = neighbour_in(operator, house)
    data = {**VALID, "about": "staff", "staff_member": neighbour.pk}
    response = portal_client(resident_member).submit("/portal/grievances/new/", data, button=FILE)
    assert response.status_code == 400
    assert "staff_member" in response.context["form"].errors
    assert not Grievance.objects.exists()


def test_my_grievances_show_status_and_the_operators_answer(operator, resident_member):
    answered = grievance(resident_member, subject="Late chore list")
    grievance_services.grievance_respond(actor=operator, grievance=answered, response="The list goes up on Sundays.")
    grievance(resident_member, subject="Dryer broken")
    response = portal_client(resident_member).get("/portal/grievances/")
    assert [g.subject for g in response.context["page_obj"]] == ["Dryer broken", "Late chore list"]
    body = response.content.decode()
    assert '<span class="badge ok">Answered</span>' in body
    assert '<span class="badge info">Waiting for an answer</span>' in body
    assert "Answer: The list goes up on Sundays." in body


def test_a_grievance_page_dates_each_stage(operator, resident_member):
    filed = grievance(resident_member)
    grievance_services.grievance_close(actor=operator, grievance=filed, response="Repaired on Monday.")
    filed.refresh_from_db()
    body = portal_client(resident_member).get(f"/portal/grievances/{filed.pk}/").content.decode()
    assert "Repaired on Monday." in body
    for stage, moment in [("Filed", filed.filed_at), ("Answered", filed.responded_at), ("Closed", filed.closed_at)]:
        assert f'<span class="stage-name">{stage}</span> <time datetime="' in body
        assert moment is not None
    assert "Not yet" not in body


def test_my_grievances_show_only_the_residents_own(operator, house, resident_member):
    grievance(neighbour_in(operator, house), subject="Neighbour's complaint")
    response = portal_client(resident_member).get("/portal/grievances/")
    assert list(response.context["page_obj"]) == []
    body = response.content.decode()
    assert "Neighbour&#x27;s complaint" not in body
    assert "You have not filed a grievance." in body
