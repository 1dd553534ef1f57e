"""The drug-test page's two row actions: entering the lab's result of a test recorded as pending (audited like
recording a test), and cancelling an open test request with a reason."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEntry
from residents.models import DrugTest, TestRequest
from residents.testing.services import drug_tests as test_services

from .house_life_world import PANEL


def _url(house, tail=""):
    return f"/dashboard/houses/{house.pk}/drug-tests/{tail}"


@pytest.fixture
def pending(life, manager):
    """A lab urine test of the manager's house, collected yesterday and waiting for the lab."""
    return test_services.drug_test_record(
        actor=manager, resident=life["resident"], collected_at=timezone.now() - timedelta(days=1),
        method="lab_urine", reason="random", panel=PANEL, result="pending_lab", lab_reference="LC-100200",
    )  # fmt: skip


def _lab_form(test):
    return f"form[action$='/drug-tests/{test.pk}/lab-result/']"


def _lab(test, **fields):
    return {f"lab-{test.pk}-{name}": value for name, value in fields.items()}


def _state(test):
    test = DrugTest.objects.get(pk=test.pk)
    return test.result, sorted(test.positive_substances), test.result_recorded_by_id


def test_a_test_waiting_for_the_lab_is_listed_with_a_form_for_its_result(page, manager, life, pending):
    response = page(manager).get(_url(life["house"]))
    assert [(test, form.test) for test, form in response.context["pending"]] == [(pending, pending)]
    body = response.content.decode()
    assert 'id="lab"' in body
    assert f'action="/dashboard/houses/{life["house"].pk}/drug-tests/{pending.pk}/lab-result/"' in body
    assert "lab reference LC-100200" in body


def test_listing_the_tests_waiting_for_the_lab_is_an_audited_read(page, manager, life, pending):
    page(manager).get(_url(life["house"]))
    entry = AuditEntry.objects.get(actor=manager.user, object_type="residents.drugtest", action="list")
    assert str(pending.pk) in entry.detail.split(", ")


def test_the_form_offers_only_the_substances_of_the_tests_panel(page, manager, life, pending):
    (_test, form), *_ = page(manager).get(_url(life["house"])).context["pending"]
    assert sorted(code for code, _label in form.fields["positive_substances"].choices) == sorted(PANEL)
    assert "pending_lab" not in [code for code, _label in form.fields["result"].choices]


def test_entering_the_lab_result_completes_the_test_and_is_audited(page, manager, life, pending):
    client = page(manager)
    data = _lab(pending, result="negative", lab_reference="LC-100200")
    response = client.submit(_url(life["house"]), data, form=_lab_form(pending))
    assert response.status_code == 302
    assert response["Location"] == _url(life["house"], "#lab")
    assert _state(pending) == ("negative", [], manager.user.pk)
    entry = AuditEntry.objects.get(action="update", object_type="residents.drugtest")
    assert (entry.object_id, entry.actor) == (str(pending.pk), manager.user)
    followed = client.get(_url(life["house"]))
    assert f"Negative lab result entered for {life['resident']}" in followed.content.decode()
    assert followed.context["pending"] == []


def test_a_positive_lab_result_names_its_substances(page, manager, life, pending):
    data = _lab(pending, result="positive", positive_substances=["thc", "opiates"])
    page(manager).submit(_url(life["house"]), data, form=_lab_form(pending))
    assert _state(pending) == ("positive", ["opiates", "thc"], manager.user.pk)


def test_a_positive_lab_result_without_substances_is_refused_beside_them(page, manager, life, pending):
    audited = AuditEntry.objects.filter(action="update").count()
    response = page(manager).submit(_url(life["house"]), _lab(pending, result="positive"), form=_lab_form(pending))
    assert response.status_code == 400
    (_test, form), *_ = response.context["pending"]
    assert form.errors == {"positive_substances": ["A positive result must name the substances it was positive for."]}
    assert f'id="id_lab-{pending.pk}-positive_substances_error"' in response.content.decode()
    assert _state(pending) == ("pending_lab", [], None)
    assert AuditEntry.objects.filter(action="update").count() == audited


def test_substances_named_on_a_negative_lab_result_are_refused_beside_them(page, manager, life, pending):
    body = _lab(pending, result="negative", positive_substances=["thc"])
    response = page(manager).submit(_url(life["house"]), body, form=_lab_form(pending))
    assert response.status_code == 400
    (_test, form), *_ = response.context["pending"]
    assert form.errors == {"positive_substances": ["Only a positive result names substances."]}
    assert _state(pending) == ("pending_lab", [], None)


def test_a_lab_result_without_a_result_is_refused_beside_it(page, manager, life, pending):
    response = page(manager).submit(_url(life["house"]), _lab(pending, result=""), form=_lab_form(pending))
    assert response.status_code == 400
    (_test, form), *_ = response.context["pending"]
    assert list(form.errors) == ["result"]
    assert _state(pending) == ("pending_lab", [], None)


def test_a_second_lab_result_for_the_same_test_is_refused_and_changes_nothing(page, manager, life, pending):
    _first, response = page(manager).submit_twice(
        _url(life["house"]), _lab(pending, result="dilute"), again=_lab(pending, result="negative"),
        form=_lab_form(pending),
    )  # fmt: skip
    assert response.status_code == 409
    assert "This test already has its result (Dilute)." in response.content.decode()
    assert _state(pending) == ("dilute", [], manager.user.pk)


def test_a_test_of_another_house_cannot_be_completed_from_this_one(page, manager, operator, life):
    other = test_services.drug_test_record(
        actor=operator, resident=life["other_resident"], collected_at=timezone.now() - timedelta(hours=5),
        method="lab_urine", reason="random", panel=PANEL, result="pending_lab",
    )  # fmt: skip
    # No page shows this test's form under this house, so only a hand-made request (a tampered URL) can try it.
    response = page(operator).post(_url(life["house"], f"{other.pk}/lab-result/"), _lab(other, result="negative"))
    assert response.status_code == 404
    assert _state(other) == ("pending_lab", [], None)


def test_the_resident_page_links_a_pending_test_to_its_lab_result_form(page, manager, life, pending):
    body = page(manager).get(f"/dashboard/residents/{life['resident'].pk}/").content.decode()
    assert f'href="{_url(life["house"])}#lab-{pending.pk}"' in body


def _cancel_form(test_request):
    return f"form[action$='/drug-tests/requests/{test_request.pk}/cancel/']"


def _cancel(test_request, reason):
    return {f"cancel-{test_request.pk}-reason": reason}


def test_cancelling_a_request_with_a_reason_closes_it_and_keeps_the_reason(page, manager, life):
    test_request = life["request"]
    data = _cancel(test_request, "Tested for cause the same morning.")
    response = page(manager).submit(_url(life["house"]), data, form=_cancel_form(test_request), follow=True)
    test_request.refresh_from_db()
    assert (test_request.status, test_request.cancel_reason) == ("cancelled", "Tested for cause the same morning.")
    assert f"The random test of {life['resident']} due {test_request.due_on:%b %-d} is cancelled." in (
        response.content.decode()
    )
    assert response.context["due"] == []


def test_cancelling_a_request_without_a_reason_is_refused_beside_the_reason(page, manager, life):
    test_request = life["request"]
    response = page(manager).submit(_url(life["house"]), _cancel(test_request, " "), form=_cancel_form(test_request))
    assert response.status_code == 400
    [(_request, form)] = response.context["due"]
    assert form.errors == {"reason": ["Say why the request is cancelled."]}
    body = response.content.decode()
    assert f'id="id_cancel-{test_request.pk}-reason_error"' in body
    assert '<details class="disclosure row-disclosure" open>' in body
    assert TestRequest.objects.get(pk=test_request.pk).status == "open"


def test_cancelling_a_request_already_cancelled_says_so_and_changes_nothing(page, manager, life):
    test_request = life["request"]
    _first, response = page(manager).submit_twice(
        _url(life["house"]), _cancel(test_request, "Moved out."),
        again=_cancel(test_request, "A second click."), form=_cancel_form(test_request),
    )  # fmt: skip
    assert response.status_code == 409
    assert "This request is already cancelled." in response.content.decode()
    assert TestRequest.objects.get(pk=test_request.pk).cancel_reason == "Moved out."


def test_an_overdue_request_can_be_cancelled_from_the_overdue_list(page, manager, life):
    test_request = life["request"]
    TestRequest.objects.filter(pk=test_request.pk).update(due_on=life["house"].organization.today() - timedelta(days=2))
    response = page(manager).get(_url(life["house"]))
    [(listed, form)] = response.context["overdue"]
    assert (listed, form.test_request) == (test_request, test_request)
    assert f'action="{_url(life["house"], f"requests/{test_request.pk}/cancel/")}"' in response.content.decode()
