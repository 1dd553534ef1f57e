"""A house's drug-test page: this week's draw, requests due and overdue, a draw's replay check, and recording a
result from a request. Every list of results shown and every result recorded is audited."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import AuditEntry
from residents.models import Draw, DrugTest, TestRequest
from residents.testing.services.drug_tests import test_request_create

from .house_life_world import PANEL


def _url(house, tail=""):
    return f"/dashboard/houses/{house.pk}/drug-tests/{tail}"


RESULT = {"collected_at": "", "method": "urine_cup", "panel": PANEL, "result": "negative", "lab_reference": ""}


def _requests(response, listed):
    """The requests of a list of the page (each row is a request and its cancel form)."""
    return [test_request for test_request, _form in response.context[listed]]


def _result(organization, **changes):
    now = timezone.localtime(timezone.now(), organization.tzinfo) - timedelta(minutes=5)
    return {**RESULT, "collected_at": now.strftime("%Y-%m-%dT%H:%M"), **changes}


def test_the_page_shows_this_weeks_draw_and_the_requests_due(page, manager, life):
    response = page(manager).get(_url(life["house"]))
    assert response.context["draw"] == life["draw"]
    assert [r.pk for r in response.context["drawn"]] == [life["request"].pk]
    assert life["request"] in _requests(response, "due")
    body = response.content.decode()
    assert "1 of 1 resident (25%)" in body
    assert "Record result" in body


def test_showing_the_latest_results_is_an_audited_read(page, manager, life):
    page(manager).get(_url(life["house"]))
    entry = AuditEntry.objects.get(actor=manager.user, object_type="residents.drugtest", action="list")
    assert entry.detail == str(life["test"].pk)
    assert entry.path == _url(life["house"])


def test_an_overdue_request_is_listed_as_overdue(page, manager, life):
    overdue = life["request"]
    TestRequest.objects.filter(pk=overdue.pk).update(due_on=life["house"].organization.today() - timedelta(days=1))
    response = page(manager).get(_url(life["house"]))
    assert _requests(response, "overdue") == [overdue]
    assert "Overdue" in response.content.decode()


def test_running_the_draw_draws_the_house_policys_share_once(page, manager, life):
    house = life["house"]
    life["draw"].requests.all().delete()
    life["draw"].delete()
    response, again = page(manager).submit_twice(_url(house), button="Run this week's draw", follow=True)
    draw = Draw.objects.get(house=house)
    assert (draw.percentage, draw.count, draw.drawn_by) == (25, 1, manager.user)
    assert "Drawn: 1 of 1 residents (25%)" in response.content.decode()
    assert "was already drawn; nothing changed" in again.content.decode()
    assert Draw.objects.filter(house=house).count() == 1


def test_a_draw_of_a_closed_house_is_refused_with_the_reason(page, operator, life):
    house = life["house"]
    life["draw"].requests.all().delete()
    life["draw"].delete()
    house.status = "closed"
    house.save()
    response = page(operator).submit(_url(house), button="Run this week's draw")
    assert response.status_code == 400
    assert "Maple House is closed." in response.content.decode()
    assert not Draw.objects.filter(house=house).exists()


def test_the_replay_check_of_a_draw_picks_the_same_residents(page, manager, life):
    response = page(manager).get(_url(life["house"], f"draws/{life['draw'].pk}/"))
    assert response.context["matches"] is True
    assert "picks the same residents, in the same order" in response.content.decode()
    assert [again.pk for _stored, again in response.context["rows"]] == list(life["draw"].selected)


def test_recording_a_result_fulfils_the_request_and_is_audited(page, manager, life):
    test_request = life["request"]
    url = _url(life["house"], f"requests/{test_request.pk}/record/")
    response = page(manager).submit(url, _result(life["house"].organization), button="Record result", follow=True)
    test_request.refresh_from_db()
    assert test_request.status == "fulfilled"
    test = test_request.fulfilled_by
    assert (test.reason, test.result, test.collected_by) == ("random", "negative", manager.user)
    assert sorted(test.panel) == sorted(PANEL)
    assert AuditEntry.objects.filter(action="create", object_type="residents.drugtest", object_id=str(test.pk)).exists()
    assert f"Negative result recorded for {life['resident']}." in response.content.decode()


def test_a_positive_result_without_its_substances_is_refused_beside_them(page, manager, life):
    test_request = life["request"]
    url = _url(life["house"], f"requests/{test_request.pk}/record/")
    tests, audited = DrugTest.objects.count(), AuditEntry.objects.count()
    response = page(manager).submit(url, _result(life["house"].organization, result="positive"), button="Record result")
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "positive_substances": ["A positive result must name the substances it was positive for."]
    }
    assert 'id="id_positive_substances_error"' in response.content.decode()
    assert (DrugTest.objects.count(), AuditEntry.objects.count()) == (tests, audited)
    test_request.refresh_from_db()
    assert test_request.status == "open"


def test_a_collection_time_in_the_future_is_refused_beside_it(page, manager, life):
    test_request = life["request"]
    later = _result(life["house"].organization)
    later["collected_at"] = (life["house"].organization.today() + timedelta(days=2)).strftime("%Y-%m-%dT10:00")
    response = page(manager).submit(_url(life["house"], f"requests/{test_request.pk}/record/"), later)
    assert response.status_code == 400
    assert response.context["form"].errors == {"collected_at": ["This cannot be in the future."]}


def test_a_request_already_fulfilled_takes_no_second_result(page, manager, life):
    test_request = life["request"]
    url = _url(life["house"], f"requests/{test_request.pk}/record/")
    tests = DrugTest.objects.count()
    first, again = page(manager).submit_twice(url, _result(life["house"].organization), button="Record result")
    assert first.status_code == 302
    assert "This request is fulfilled" in page(manager).get(url).content.decode()
    assert again.status_code == 409
    assert DrugTest.objects.count() == tests + 1


def test_a_for_cause_request_is_listed_as_due(page, manager, life):
    today = life["house"].organization.today()
    made = test_request_create(actor=manager, resident=life["resident"], reason="for_cause", due_on=today)
    response = page(manager).get(_url(life["house"]))
    assert made in _requests(response, "due")
    assert "Due today" in response.content.decode()
