"""The dashboard's "Waiting for a first reply": new applications nobody has answered, oldest first, with the hours
since they arrived, amber from two hours and red from a day, each with words and an icon as well as colour."""

from datetime import UTC, timedelta

import lxml.html
import pytest
import time_machine

from residents.core.selectors.applications import reply_wait
from residents.core.services.applications import application_create, application_move, application_receive
from residents.models import Application
from tests.clock import local_moment

# A Saturday night before the clocks go forward: in UTC, so adding hours adds real hours across the change.
ARRIVED = local_moment(2026, 3, 7, 22, 40).astimezone(UTC)


def _arrived(actor, *, house, first_name, at=ARRIVED, **fields):
    with time_machine.travel(at, tick=False):
        return application_create(
            actor=actor, first_name=first_name, last_name="Lane", phone="(555) 300-4000", applied_on=at.date(),
            preferred_house=house, **fields,
        )  # fmt: skip


def _panel(client, at):
    with time_machine.travel(at, tick=False):
        body = client.get("/dashboard/").content.decode()
    [panel] = lxml.html.fromstring(body).cssselect("section[aria-labelledby=w-replies]")
    return panel


def _rows(panel):
    return [" ".join(item.text_content().split()) for item in panel.cssselect("li")]


@pytest.mark.parametrize(
    ("waited", "hours", "level"),
    [
        (timedelta(minutes=20), 0, "ok"),
        (timedelta(hours=1, minutes=59, seconds=59), 1, "ok"),
        (timedelta(hours=2), 2, "due"),
        (timedelta(hours=23, minutes=59, seconds=59), 23, "due"),
        (timedelta(hours=24), 24, "overdue"),
        (timedelta(days=3, hours=5), 77, "overdue"),
    ],
)
def test_the_wait_turns_amber_at_two_hours_and_red_at_a_day(waited, hours, level):
    application = Application(received_at=ARRIVED)
    wait = reply_wait(application, now=ARRIVED + waited)
    assert (wait.hours, wait.level) == (hours, level)


@pytest.mark.parametrize(
    ("waited", "badge", "words"),
    [
        (timedelta(minutes=30), "reply-ok", "under 1 h · new"),
        (timedelta(hours=2), "reply-due", "⚠ 2 h · over 2 hours"),
        (timedelta(hours=24), "reply-overdue", "‼ 24 h · over a day"),
    ],
)
def test_the_panel_colours_each_wait_and_says_it_in_words(page, manager, house, waited, badge, words):
    _arrived(manager, house=house, first_name="Ann")
    [shown] = _panel(page(manager), ARRIVED + waited).cssselect("li .badge")
    assert shown.get("class") == f"badge {badge}"
    assert " ".join(shown.text_content().split()) == words


def test_the_panel_lists_unanswered_new_applications_oldest_first_and_links_them(page, manager, house):
    later = _arrived(manager, house=house, first_name="Bea", at=ARRIVED + timedelta(hours=20))
    first = _arrived(manager, house=house, first_name="Ann")
    panel = _panel(page(manager), ARRIVED + timedelta(hours=26))
    assert _rows(panel) == [
        "‼ 26 h · over a day Ann Lane · arrived 26 hours ago",
        "⚠ 6 h · over 2 hours Bea Lane · arrived 6 hours ago",
    ]
    assert [link.get("href") for link in panel.cssselect("a")] == [
        f"/dashboard/applications/{first.pk}/",
        f"/dashboard/applications/{later.pk}/",
    ]


def test_an_application_replied_to_or_moved_on_leaves_the_panel(page, manager, house):
    from residents.core.services.applications import application_record_contact

    contacted = _arrived(manager, house=house, first_name="Ann")
    application_record_contact(actor=manager, application=contacted)
    moved = _arrived(manager, house=house, first_name="Bea")
    application_move(actor=manager, application=moved, to="screening")
    panel = _panel(page(manager), ARRIVED + timedelta(hours=3))
    assert _rows(panel) == []
    assert "Every new application has had a reply." in panel.text_content()


def test_a_manager_sees_their_houses_and_the_unassigned_pool_only(page, manager, operator, house, other_house):
    _arrived(operator, house=house, first_name="Ann")
    _arrived(operator, house=other_house, first_name="Olga")
    _arrived(operator, house=None, first_name="Pia")
    later = ARRIVED + timedelta(hours=1)
    assert [row.split(" Lane")[0].split()[-1] for row in _rows(_panel(page(manager), later))] == ["Ann", "Pia"]
    assert [row.split(" Lane")[0].split()[-1] for row in _rows(_panel(page(operator), later))] == ["Ann", "Olga", "Pia"]


def test_a_web_submission_shows_on_the_panel_at_once(page, manager, organization, house):
    with time_machine.travel(ARRIVED, tick=False):
        application_receive(
            organization=organization, received_via="website", first_name="Sky", last_name="Ames",
            email="sky@example.net", preferred_house=house,
        )  # fmt: skip
    assert _rows(_panel(page(manager), ARRIVED + timedelta(minutes=5))) == [
        "under 1 h · new Sky Ames · arrived less than an hour ago through the public form"
    ]


def test_the_panel_costs_the_same_queries_for_many_applications(
    page, manager, operator, house, django_assert_max_num_queries
):
    def dashboard_queries():
        client = page(manager)
        client.get("/dashboard/")  # warm the session
        with django_assert_max_num_queries(1000) as captured:
            client.get("/dashboard/")
        return len(captured.captured_queries)

    _arrived(operator, house=house, first_name="Ann")
    few = dashboard_queries()
    for index in range(12):
        _arrived(operator, house=house if index % 2 else None, first_name=f"Al{index}")
    assert dashboard_queries() == few
