"""After ``seed_demo``, the manager's first house shows everything at a glance: bed cards with someone owing rent
past due, a drug test due, someone out now and someone back late last night; and a waitlisted applicant with a free
bed to accept and admit them to."""

import lxml.html
import pytest

from accounts.models import Membership
from houses.models import House
from tests.forms import FormClient


@pytest.fixture
def maple(demo_db):
    return House.objects.get(name="Maple House")


@pytest.fixture
def manager(demo_db):
    membership = Membership.objects.get(user__email="manager@example.com")
    client = FormClient()
    client.force_login(membership.user)
    return client


def _badges(html: str) -> set[str]:
    document = lxml.html.fromstring(html)
    return {" ".join(badge.text_content().split()) for badge in document.cssselect(".bed-badges .badge")}


def test_the_demo_bed_board_shows_every_badge(manager, maple):
    badges = _badges(manager.get(f"/dashboard/houses/{maple.pk}/beds/").content.decode())
    assert {"Owes", "Out now", "Late back last night"} <= badges
    assert badges & {"Test due", "Test overdue"}


def test_the_demo_waitlist_has_someone_to_accept_and_admit_to_a_free_bed(manager, maple):
    html = manager.get(f"/dashboard/houses/{maple.pk}/waitlist/").content.decode()
    actions = lxml.html.fromstring(html).cssselect("td.row-actions a")
    assert actions
    assert all(" ".join(a.text_content().split()).startswith("Accept and admit to bed…") for a in actions)
    admit_page = manager.get(actions[0].get("href")).content.decode()
    beds = lxml.html.fromstring(admit_page).cssselect("select[name=bed] option[value]:not([value=''])")
    assert beds, "the demo leaves a free bed for the applicant"


def test_the_demo_residents_list_sorts_those_longest_past_due_first(manager):
    response = manager.submit("/dashboard/residents/", {"sort": "past_due"}, form="form.filters")
    document = lxml.html.fromstring(response.content.decode())
    first_row = " ".join(document.cssselect("tbody tr")[0].text_content().split())
    assert "Past due" in first_row
