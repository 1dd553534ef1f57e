"""The portal's home page: where the resident lives, how they stand this week, what needs doing, and the sections."""

from decimal import Decimal

from django.template.loader import render_to_string

from residents.models import OvernightPass
from tests.residents.rules_factories import publish_defaults, sign

from .portal_factories import (
    ask_for_a_test,
    chore,
    give_phases,
    neighbour_in,
    outside_meeting,
    overnight_pass,
    portal_client,
    sign_out,
    stay_of,
)


def _home(member):
    response = portal_client(member).get("/portal/")
    assert response.status_code == 200
    return response, response.content.decode()


def test_home_shows_the_house_bed_move_in_and_phase(operator, house, resident_member):
    stay = stay_of(resident_member)
    give_phases(operator, stay)
    _response, body = _home(resident_member)
    bed = stay.current_assignment.bed
    assert house.name in body
    assert f"{bed.room.name} · {bed.label}" in body
    assert "Jan 5, 2026" in body
    assert "Stabilization" in body


def test_home_shows_how_the_resident_stands_this_week_with_numbers(operator, resident_member):
    stay = stay_of(resident_member)
    give_phases(operator, stay)
    outside_meeting(stay, days_ago=0)
    response, body = _home(resident_member)
    standing = response.context["home"].standing
    meetings = next(r for r in standing.requirements if r.requirement == "outside_meetings")
    assert meetings.actual == 1
    assert "1 of 5 meetings" in body
    assert 'id="week-heading">This week' in body


def test_home_lists_what_needs_doing(operator, manager, house, resident_member):
    stay = stay_of(resident_member)
    today = stay.organization.today()
    publish_defaults(operator)
    chore(stay, day=today, name="Take out the trash")
    ask_for_a_test(stay, actor=operator, due_in=1)
    overnight_pass(stay, actor=resident_member, leave_in=6)
    _response, body = _home(resident_member)
    needs_doing = body[body.index('id="tasks-heading"') : body.index("</section>", body.index('id="tasks-heading"'))]
    assert "Read and sign the house rules" in needs_doing
    assert "Chore today: Take out the trash" in needs_doing
    assert "Drug test due" in needs_doing
    assert "Waiting for a decision" in needs_doing


def test_home_says_when_nothing_needs_doing(operator, resident_member):
    publish_defaults(operator)
    sign(resident_member.resident, stay_of(resident_member).house)
    response, body = _home(resident_member)
    assert response.context["home"].nothing_to_do
    assert "Nothing right now. New chores, test requests and rule changes will show up here." in body


def test_home_shows_only_the_residents_own_records(operator, house, resident_member):
    neighbour = neighbour_in(operator, house)
    theirs = stay_of(neighbour)
    today = theirs.organization.today()
    chore(theirs, day=today, name="Neighbour's porch")
    ask_for_a_test(theirs, actor=operator)
    overnight_pass(theirs, actor=neighbour)
    response, body = _home(resident_member)
    home = response.context["home"]
    assert (home.chores_today, home.tests_due, home.passes_waiting) == ([], [], [])
    assert "Neighbour" not in body


def test_home_shows_a_current_sign_out_prominently_with_a_sign_in_button(operator, resident_member):
    sign_out(stay_of(resident_member), actor=operator, hours_ago=1, back=False, destination="NA meeting")
    _response, body = _home(resident_member)
    assert 'id="out-heading">You are signed out' in body
    assert "To NA meeting since" in body
    assert 'action="/portal/sign-out/back/"' in body


def test_home_reaches_every_portal_section_in_one_tap(resident_member):
    _response, body = _home(resident_member)
    for path in ["/portal/sign-out/", "/portal/passes/", "/portal/chores/", "/portal/meetings/", "/portal/tests/",
                 "/portal/phase/", "/portal/rules/", "/portal/grievances/"]:  # fmt: skip
        assert f'href="{path}"' in body


def test_the_navigation_marks_the_current_page(resident_member):
    body = portal_client(resident_member).get("/portal/chores/").content.decode()
    assert 'href="/portal/chores/" aria-current="page"' in body
    body = portal_client(resident_member).get("/portal/passes/").content.decode()
    assert 'class="portal-tab portal-more is-current"' in body
    assert 'href="/portal/passes/" aria-current="page"' in body


def test_the_money_card_renders_nothing_without_billing(resident_member):
    response, _body = _home(resident_member)
    assert "residents/portal/_money.html" in {template.name for template in response.templates}
    assert render_to_string("residents/portal/_money.html", {}).strip() == ""


def test_the_rent_card_shows_what_is_owed_when_billing_gives_it():
    billing = {"balance": Decimal("125.00"), "credit": Decimal("0.00"), "pending": Decimal("0.00"),
               "to_pay": Decimal("125.00"), "past_due": None, "past_due_since": None, "currency": "USD",
               "url": "/portal/money/"}  # fmt: skip
    html = render_to_string("residents/portal/_money.html", {"billing": billing})
    assert 'id="money-heading">Rent' in html
    assert "You owe $125.00" in html
    assert 'href="/portal/money/">Pay rent' in html


def test_a_pending_pass_leaves_the_list_once_decided(operator, manager, resident_member):
    pass_ = overnight_pass(stay_of(resident_member), actor=resident_member)
    OvernightPass.objects.filter(pk=pass_.pk).update(status="denied", decision_reason="Not this week.")
    response, _body = _home(resident_member)
    assert response.context["home"].passes_waiting == []
