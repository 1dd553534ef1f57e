"""After ``seed_demo``, the house-life pages show a realistic house for the demo manager and operator."""

import pytest
from django.test import Client

from accounts.models import User
from houses.models import House


@pytest.fixture
def demo(demo_db):
    return House.objects.get(name="Maple House")


def _client(email):
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_the_demo_manager_finds_each_page_of_a_house_filled_in(demo):
    client = _client("manager@example.com")
    url = f"/dashboard/houses/{demo.pk}/"
    rules = client.get(url + "rules/").context
    assert rules["rule_set"] is not None
    assert rules["categories"]
    assert client.get(url + "chores/").context["days"]
    tests = client.get(url + "drug-tests/").context
    assert tests["draw"] is not None
    assert tests["tests"]
    assert tests["past_draws"]
    assert client.get(url + "meetings/").context["page_obj"].object_list
    board = client.get(url + "sign-outs/").context
    assert list(board["log"]) or list(board["out_now"])
    passes = client.get(url + "passes/").context
    assert passes["waiting"] or list(passes["decided"])


def test_the_demo_resident_page_has_a_phase_tests_and_meetings(demo):
    stay = demo.stays.filter(move_out__isnull=True).order_by("move_in").first()
    life = _client("manager@example.com").get(f"/dashboard/residents/{stay.resident_id}/").context["life"]
    assert life["compliance"].phase is not None
    assert life["tests"]
    assert life["outside_meetings"]


def test_the_demo_operator_has_phases_and_grievances_to_answer(demo):
    client = _client("operator@example.com")
    assert len(client.get("/dashboard/phases/").context["phases"]) == 3
    assert client.get("/dashboard/grievances/?status=all").context["page_obj"].object_list


def test_the_demo_dashboard_has_something_to_act_on(demo):
    life = _client("manager@example.com").get("/dashboard/").context["life"]
    assert life["tests"]
    assert life["chores"]
    assert life["passes"]


def test_the_demo_dashboard_lists_residents_behind_on_rent_and_the_list_filters_them(demo):
    client = _client("manager@example.com")
    widget = client.get("/dashboard/").content.decode().split('id="w-owing"')[1].split("</section>")[0]
    assert widget.count("#ledger") >= 2
    owing = client.get("/dashboard/residents/?owing=on").context["page_obj"].object_list
    assert owing
    assert all(resident.balance > 0 for resident in owing)


def test_the_demo_house_has_a_test_waiting_for_the_lab_result(demo):
    tests = _client("manager@example.com").get(f"/dashboard/houses/{demo.pk}/drug-tests/").context
    [(test, form)] = [(test, form) for test, form in tests["pending"] if test.reason == "for_cause"]
    assert (test.result, test.method) == ("pending_lab", "lab_urine")
    assert "kratom" in [code for code, _label in form.fields["positive_substances"].choices]


def test_the_demo_house_has_a_resident_away_on_a_pass_to_record_back(demo):
    away = _client("manager@example.com").get(f"/dashboard/houses/{demo.pk}/passes/").context["away"]
    [(pass_, _form)] = away
    assert (pass_.status, pass_.returned_at) == ("approved", None)
    assert pass_.leave_on < demo.organization.today() < pass_.return_on
