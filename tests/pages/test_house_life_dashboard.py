"""The dashboard's "needs attention today" widgets: tests due and overdue, chores today, who is out now and last
night's curfew violations, pass requests, unsigned rules, residents behind on their phase, recent incidents; each a
link to the page that handles it, and only what the member may see."""

from datetime import timedelta

import pytest

from accounts.models import AuditEntry
from residents.models import TestRequest
from tests.factories import admit
from tests.residents.phases_factories import approved_pass, local, log_out


def _life_today(page, member):
    return page(member).get("/dashboard/").context["life"]


def test_the_widgets_count_each_house_of_the_manager_and_no_other(page, manager, life):
    today = _life_today(page, manager)
    house = life["house"]
    assert today["tests"] == [{"house": house, "due": 1, "overdue": 0}]
    assert today["chores"] == [{"house": house, "total": 1, "pending": 1}]
    assert today["unsigned"] == [{"house": house, "count": 1}]
    assert today["passes"] == [{"house": house, "count": 1, "next_leave_on": life["pass"].leave_on}]
    assert today["out_now"] == [life["sign_out"]]
    assert today["incidents"] == [life["incident"]]


def test_an_operator_sees_every_house_of_the_organization(page, operator, life):
    today = _life_today(page, operator)
    assert {row["house"] for row in today["tests"]} == {life["house"], life["other_house"]}
    assert set(today["out_now"]) == {life["sign_out"], life["other_sign_out"]}


def test_overdue_tests_are_counted_apart(page, manager, life):
    yesterday = life["house"].organization.today() - timedelta(days=1)
    TestRequest.objects.filter(pk=life["request"].pk).update(due_on=yesterday)
    assert _life_today(page, manager)["tests"] == [{"house": life["house"], "due": 0, "overdue": 1}]
    assert "1 overdue" in page(manager).get("/dashboard/").content.decode()


def test_each_widget_links_to_the_page_that_handles_it(page, manager, life):
    body = page(manager).get("/dashboard/").content.decode()
    house = life["house"].pk
    for link in [
        f"/dashboard/houses/{house}/drug-tests/", f"/dashboard/houses/{house}/chores/#week",
        f"/dashboard/houses/{house}/sign-outs/", f"/dashboard/houses/{house}/passes/",
        f"/dashboard/houses/{house}/rules/#unsigned", f"/dashboard/residents/{life['resident'].pk}/#incidents",
    ]:  # fmt: skip
        assert f'href="{link}"' in body


def test_last_nights_curfew_violations_are_listed(page, manager, operator, life):
    house = life["house"]
    organization = house.organization
    night = organization.today() - timedelta(days=1)
    late = admit(house, actor=operator, on=night - timedelta(days=5), legal_first_name="Leo", legal_last_name="Late")
    log_out(late, actor=operator, out_at=local(organization, night, 20), back_at=local(organization, night, 23, 50))
    today = _life_today(page, manager)
    assert [(item["violation"].stay, item["house"]) for item in today["violations"]] == [(late, house)]
    body = page(manager).get("/dashboard/").content.decode()
    assert f'href="/dashboard/houses/{house.pk}/sign-outs/?night={night:%Y-%m-%d}#curfew"' in body


@pytest.mark.usefixtures("midweek")  # on a Sunday or a month's last day, unmet minimums are missed too
def test_a_resident_behind_on_their_phase_is_named_with_what_they_missed(page, manager, operator, life):
    today = life["house"].organization.today()
    # Stabilization allows no overnight pass: one approved beyond the allowance this month is a miss.
    approved_pass(life["stay"], actor=operator, leave_on=today, return_on=today + timedelta(days=1), override=True,
                  reason="Family emergency")  # fmt: skip
    behind = _life_today(page, manager)["behind"]
    assert [item["row"].stay for item in behind] == [life["stay"]]
    assert behind[0]["missed"] == ["Overnight passes this month"]
    assert (
        f'href="/dashboard/residents/{life["resident"].pk}/#phase"' in page(manager).get("/dashboard/").content.decode()
    )


def test_showing_recent_incidents_is_an_audited_read(page, manager, life):
    page(manager).get("/dashboard/")
    entry = AuditEntry.objects.get(actor=manager.user, object_type="residents.incident")
    assert (entry.action, entry.detail) == ("list", str(life["incident"].pk))


def test_a_quiet_day_says_so_in_each_widget(page, manager, house):
    body = page(manager).get("/dashboard/").content.decode()
    for quiet in ["No tests due.", "No chores handed out for today.", "Everyone is in.", "Nobody was out past curfew.",
                  "No pass is waiting for a decision.", "Nobody is behind this week.",
                  "No incidents in the last seven days."]:  # fmt: skip
        assert quiet in body
    assert not AuditEntry.objects.exists()


def test_the_house_tiles_and_the_bed_board_lead_to_the_house_pages(page, manager, life):
    house = life["house"].pk
    for url in ["/dashboard/", f"/dashboard/houses/{house}/beds/"]:
        body = page(manager).get(url).content.decode()
        for name in ["rules", "chores", "drug-tests", "meetings", "sign-outs", "passes"]:
            assert f'href="/dashboard/houses/{house}/{name}/"' in body
