"""Overnight passes in the portal: asking for one, the list with status and decision reason, cancelling."""

from datetime import timedelta

import pytest

from residents.models import OvernightPass
from residents.program.services import signouts as signout_services

from .portal_factories import give_phases, neighbour_in, overnight_pass, portal_client, stay_of


def _ask(member, *, leave_in=3, nights=2, **data):
    today = member.organization.today()
    body = {
        "leave_on": (today + timedelta(days=leave_in)).isoformat(),
        "return_on": (today + timedelta(days=leave_in + nights)).isoformat(),
        "destination": "Mother's house, Peoria",
        "contact_phone": "(555) 201-3344",
        **data,
    }
    return portal_client(member).submit("/portal/passes/", body, button="Ask for this pass", follow=True), body


def test_asking_for_a_pass_records_it_waiting_and_says_so(resident_member):
    response, _body = _ask(resident_member, leave_in=3, nights=2)
    pass_ = OvernightPass.objects.get()
    assert (pass_.stay, pass_.status, pass_.nights, pass_.requested_by) == (
        stay_of(resident_member), "requested", 2, resident_member.user,
    )  # fmt: skip
    body = response.content.decode()
    assert "Pass asked for: 2 nights from" in body
    assert '<span class="badge info">Waiting for a decision</span>' in body


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"nights": 0}, "return_on", "The return date must be after the leave date."),
        ({"nights": -2}, "return_on", "The return date must be after the leave date."),
        ({"leave_in": -1}, "leave_on", "A pass cannot start in the past."),
        ({"destination": ""}, "destination", "This field is required."),
        ({"contact_phone": ""}, "contact_phone", "This field is required."),
        ({"leave_on": "next friday"}, "leave_on", "Enter a valid date."),
    ],
)
def test_bad_input_is_shown_beside_its_field_keeps_what_was_typed_and_writes_nothing(
    resident_member, changes, field, message
):
    response, sent = _ask(resident_member, **changes)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body
    assert response.context["form"]["destination"].value() == sent["destination"]
    assert not OvernightPass.objects.exists()


def test_a_pass_over_nights_already_asked_for_is_refused_beside_the_leave_date(resident_member):
    overnight_pass(stay_of(resident_member), actor=resident_member, leave_in=3, nights=3)
    response, _sent = _ask(resident_member, leave_in=4, nights=1)
    assert response.status_code == 400
    assert "already covers these nights" in response.context["form"].errors["leave_on"][0]
    assert OvernightPass.objects.count() == 1


def test_the_phases_allowance_is_told_beside_the_leave_date(operator, manager, resident_member):
    stay = stay_of(resident_member)
    give_phases(operator, stay)  # Stabilization: no passes a month
    response = portal_client(resident_member).get("/portal/passes/")
    help_text = response.context["form"].fields["leave_on"].help_text
    assert help_text.startswith("Your phase, Stabilization, allows 0 overnight passes a month.")
    assert "needs the house manager to make an exception" in help_text
    assert 'id="id_leave_on_helptext"' in response.content.decode()


def test_the_list_shows_each_pass_with_its_status_and_decision_reason(operator, manager, resident_member):
    stay = stay_of(resident_member)
    denied = overnight_pass(stay, actor=resident_member, leave_in=3, destination="Cabin")
    signout_services.pass_deny(actor=manager, pass_=denied, reason="We could not reach the host.")
    approved = overnight_pass(stay, actor=resident_member, leave_in=10, destination="Mother's house")
    signout_services.pass_approve(actor=manager, pass_=approved, reason="Host confirmed.")
    response = portal_client(resident_member).get("/portal/passes/")
    assert [p.destination for p in response.context["page_obj"]] == ["Mother's house", "Cabin"]
    body = response.content.decode()
    assert "Why: We could not reach the host." in body
    assert '<span class="badge bad">Denied</span>' in body
    assert '<span class="badge ok">Approved</span>' in body


def _cancel_form(pass_):
    return f"form[action='/portal/passes/{pass_.pk}/cancel/']"


def test_cancelling_a_waiting_pass_cancels_it_and_says_so(resident_member):
    pass_ = overnight_pass(stay_of(resident_member), actor=resident_member)
    response = portal_client(resident_member).submit("/portal/passes/", form=_cancel_form(pass_), follow=True)
    pass_.refresh_from_db()
    assert pass_.status == OvernightPass.Status.CANCELLED
    assert "is cancelled." in response.content.decode()


def test_only_passes_the_service_would_cancel_offer_the_button(manager, resident_member):
    stay = stay_of(resident_member)
    waiting = overnight_pass(stay, actor=resident_member, leave_in=3)
    denied = overnight_pass(stay, actor=resident_member, leave_in=8)
    signout_services.pass_deny(actor=manager, pass_=denied, reason="No.")
    body = portal_client(resident_member).get("/portal/passes/").content.decode()
    assert f'action="/portal/passes/{waiting.pk}/cancel/"' in body
    assert f'action="/portal/passes/{denied.pk}/cancel/"' not in body


def test_cancelling_a_decided_pass_is_refused_and_changes_nothing(manager, resident_member):
    pass_ = overnight_pass(stay_of(resident_member), actor=resident_member)
    # The page offers Cancel while the pass waits; the manager denies it before the resident's click arrives.
    cancel = portal_client(resident_member).load_form("/portal/passes/", form=_cancel_form(pass_))
    signout_services.pass_deny(actor=manager, pass_=pass_, reason="No.")
    response = cancel()
    assert response.status_code == 400
    assert "This pass is already denied." in response.content.decode()
    pass_.refresh_from_db()
    assert pass_.status == OvernightPass.Status.DENIED


def test_the_list_shows_only_the_residents_own_passes(operator, house, resident_member):
    neighbour = neighbour_in(operator, house)
    overnight_pass(stay_of(neighbour), actor=neighbour, destination="Neighbour's cousin")
    response = portal_client(resident_member).get("/portal/passes/")
    assert list(response.context["page_obj"]) == []
    body = response.content.decode()
    assert "Neighbour&#x27;s cousin" not in body
    assert "You have not asked for a pass yet." in body
