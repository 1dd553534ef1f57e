"""Recording results, completing lab results, and how tests fulfil requests."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from accounts.exceptions import Conflict, DomainError, NotAllowed
from residents.core.services import stays as stay_services
from residents.models import DrugTest, DrugTestSubstance, TestRequest
from residents.testing import selectors
from residents.testing.services import drug_tests as services
from tests.factories import admit

from .drug_tests_factories import days_ago, moment, record_test, request_test


@pytest.fixture
def resident(operator, organization, house):
    return admit(house, on=days_ago(organization, 40), actor=operator).resident


@pytest.fixture
def yesterday(organization):
    return days_ago(organization, 1)


def _refused(callable_, field):
    with pytest.raises(DomainError) as error:
        callable_()
    assert error.value.field == field
    return error.value


# Results


def test_a_negative_test_stores_its_panel_as_one_row_per_substance(manager, resident, yesterday):
    test = record_test(manager, resident, on=yesterday, panel=["thc", "cocaine", "thc"])
    rows = DrugTestSubstance.objects.filter(test=test).values_list("substance", "positive")
    assert sorted(rows) == [("cocaine", False), ("thc", False)]
    assert test.panel == ["cocaine", "thc"]
    assert (test.collected_by, test.result_recorded_by) == (manager.user, manager.user)


def test_a_positive_result_names_the_substances_it_was_positive_for(manager, resident, yesterday):
    test = record_test(manager, resident, on=yesterday, result="positive", positive_substances=["cocaine"])
    assert test.positive_substances == ["cocaine"]
    assert list(DrugTest.objects.filter(substances__substance="cocaine", substances__positive=True)) == [test]


def test_a_positive_result_naming_no_substance_is_refused(manager, resident, yesterday):
    _refused(lambda: record_test(manager, resident, on=yesterday, result="positive"), "positive_substances")
    assert not DrugTest.objects.exists()


def test_positive_substances_must_be_on_the_panel(manager, resident, yesterday):
    error = _refused(
        lambda: record_test(
            manager, resident, on=yesterday, panel=["thc"], result="positive", positive_substances=["thc", "fentanyl"]
        ),
        "positive_substances",
    )
    assert "fentanyl" in error.message
    assert not DrugTest.objects.exists()


@pytest.mark.parametrize("result", ["negative", "dilute", "invalid", "refused", "pending_lab"])
def test_only_a_positive_result_names_substances(manager, resident, yesterday, result):
    _refused(
        lambda: record_test(manager, resident, on=yesterday, result=result, positive_substances=["thc"]),
        "positive_substances",
    )


def test_a_panel_needs_a_substance_from_the_vocabulary(manager, resident, yesterday):
    _refused(lambda: record_test(manager, resident, on=yesterday, panel=[]), "panel")
    _refused(lambda: record_test(manager, resident, on=yesterday, panel=["thc", "caffeine"]), "panel")


def test_a_breath_test_screens_for_alcohol_only(manager, resident, yesterday):
    _refused(lambda: record_test(manager, resident, on=yesterday, method="breath", panel=["thc"]), "panel")
    test = record_test(manager, resident, on=yesterday, method="breath", panel=["alcohol"])
    assert test.panel == ["alcohol"]


def test_a_breath_test_cannot_wait_for_a_lab(manager, resident, yesterday):
    _refused(
        lambda: record_test(manager, resident, on=yesterday, method="breath", panel=["alcohol"], result="pending_lab"),
        "result",
    )


def test_a_collection_in_the_future_is_refused(manager, resident):
    later = timezone.now() + timedelta(hours=2)
    _refused(lambda: record_test(manager, resident, collected_at=later), "collected_at")


def test_a_collection_time_without_a_time_zone_is_refused(manager, resident, yesterday):
    naive = moment(resident.organization, yesterday).replace(tzinfo=None)
    _refused(lambda: record_test(manager, resident, collected_at=naive), "collected_at")


def test_a_test_before_the_resident_moved_in_is_refused(manager, organization, resident):
    _refused(lambda: record_test(manager, resident, on=days_ago(organization, 41)), "collected_at")


def test_a_test_of_someone_who_never_lived_in_a_house_is_refused(manager, resident_factory, yesterday):
    _refused(lambda: record_test(manager, resident_factory(), on=yesterday), "resident")


def test_a_test_belongs_to_the_house_the_resident_was_in_that_day(operator, organization, house, other_house, resident):
    stay_services.stay_transfer(
        actor=operator, stay=resident.stays.get(), bed=other_house.beds.first(), on=days_ago(organization, 10)
    )
    before = record_test(operator, resident, on=days_ago(organization, 20))
    after = record_test(operator, resident, on=days_ago(organization, 5))
    assert (before.house, after.house) == (house, other_house)


def test_the_collection_date_is_the_organizations_date(operator, organization, house, resident_factory):
    # 03:00 UTC on a Monday is still Sunday evening in Chicago, the organization's time zone.
    resident = resident_factory()
    monday = days_ago(organization, 30)
    monday -= timedelta(days=monday.weekday())
    admit(house, on=monday, resident=resident, actor=operator)
    early = datetime(monday.year, monday.month, monday.day, 3, tzinfo=UTC)
    _refused(lambda: record_test(operator, resident, collected_at=early), "collected_at")


def test_a_manager_cannot_record_a_test_in_a_house_they_do_not_run(
    manager, operator, organization, house, other_house, yesterday
):
    elsewhere = admit(other_house, on=days_ago(organization, 30), actor=operator).resident
    with pytest.raises(DomainError) as error:
        services.drug_test_record(
            actor=manager, resident=elsewhere, collected_at=moment(organization, yesterday), method="urine_cup",
            reason="random", panel=["thc"], result="negative",
        )  # fmt: skip
    assert error.value.field == "collected_at"
    assert not DrugTest.objects.exists()


# Pending lab results


def test_a_pending_lab_result_is_completed_with_the_final_result(manager, operator, resident, yesterday):
    test = record_test(manager, resident, on=yesterday, method="lab_urine", result="pending_lab")
    assert (test.result_recorded_at, test.result_recorded_by) == (None, None)
    services.drug_test_complete(
        actor=operator, test=test, result="positive", positive_substances=["opiates"], lab_reference="LAB-42"
    )
    test = DrugTest.objects.get(pk=test.pk)
    assert (test.result, test.positive_substances, test.lab_reference) == ("positive", ["opiates"], "LAB-42")
    assert test.result_recorded_by == operator.user
    assert test.result_recorded_at is not None


def test_a_final_result_is_recorded_only_once(manager, resident, yesterday):
    test = record_test(manager, resident, on=yesterday, method="lab_urine", result="pending_lab")
    services.drug_test_complete(actor=manager, test=test, result="negative")
    with pytest.raises(Conflict) as error:
        services.drug_test_complete(actor=manager, test=test, result="positive", positive_substances=["thc"])
    assert error.value.field == "result"
    assert DrugTest.objects.get(pk=test.pk).result == "negative"


def test_completing_a_test_that_was_never_pending_is_a_conflict(manager, resident, yesterday):
    test = record_test(manager, resident, on=yesterday)
    with pytest.raises(Conflict):
        services.drug_test_complete(actor=manager, test=test, result="dilute")


def test_a_completion_must_give_a_final_result(manager, resident, yesterday):
    test = record_test(manager, resident, on=yesterday, method="lab_urine", result="pending_lab")
    _refused(lambda: services.drug_test_complete(actor=manager, test=test, result="pending_lab"), "result")


def test_a_positive_completion_must_stay_on_the_panel(manager, resident, yesterday):
    test = record_test(manager, resident, on=yesterday, method="lab_urine", result="pending_lab", panel=["thc"])
    _refused(
        lambda: services.drug_test_complete(
            actor=manager, test=test, result="positive", positive_substances=["fentanyl"]
        ),
        "positive_substances",
    )
    assert DrugTest.objects.get(pk=test.pk).result == "pending_lab"


# Requests and fulfilment


def test_a_test_fulfils_the_residents_oldest_open_request(manager, organization, resident):
    today = organization.today()
    newer = request_test(manager, resident, due_on=today + timedelta(days=2))
    older = request_test(manager, resident, due_on=today + timedelta(days=1))
    test = record_test(manager, resident, on=today)
    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.status, older.fulfilled_by) == ("fulfilled", test)
    assert (newer.status, newer.fulfilled_by) == ("open", None)


def test_a_test_counts_for_a_request_due_within_the_grace_days(manager, organization, resident):
    today = organization.today()
    request = request_test(manager, resident, due_on=today + timedelta(days=services.FULFILMENT_GRACE_DAYS))
    record_test(manager, resident, on=today)
    request.refresh_from_db()
    assert request.status == "fulfilled"


def test_a_test_does_not_answer_a_request_due_after_the_grace_days(manager, organization, resident):
    today = organization.today()
    request = request_test(manager, resident, due_on=today + timedelta(days=services.FULFILMENT_GRACE_DAYS + 1))
    test = record_test(manager, resident, on=today)
    request.refresh_from_db()
    assert request.status == "open"
    assert not hasattr(test, "fulfilled_request") or test.fulfilled_request is None


def test_a_late_test_closes_the_overdue_request(manager, organization, house, resident):
    request = TestRequest.objects.create(
        organization=organization, resident=resident, stay=resident.stays.get(), house=house, reason="random",
        requested_on=days_ago(organization, 10), due_on=days_ago(organization, 8),
    )  # fmt: skip
    record_test(manager, resident, on=organization.today(), result="refused")
    request.refresh_from_db()
    assert request.status == "fulfilled"


def test_a_test_does_not_fulfil_another_residents_request(manager, organization, house, resident):
    neighbour = admit(house, on=days_ago(organization, 40), actor=manager).resident
    request = request_test(manager, neighbour, due_on=organization.today())
    record_test(manager, resident, on=organization.today())
    request.refresh_from_db()
    assert request.status == "open"


def test_a_cancelled_request_is_not_fulfilled(manager, organization, resident):
    request = request_test(manager, resident, due_on=organization.today())
    services.test_request_cancel(actor=manager, request=request, reason="Tested at the clinic instead")
    record_test(manager, resident, on=organization.today())
    request.refresh_from_db()
    assert (request.status, request.fulfilled_by, request.cancel_reason) == (
        "cancelled",
        None,
        "Tested at the clinic instead",
    )


def test_a_closed_request_cannot_be_cancelled(manager, organization, resident):
    request = request_test(manager, resident, due_on=organization.today())
    record_test(manager, resident, on=organization.today())
    with pytest.raises(Conflict):
        services.test_request_cancel(actor=manager, request=request, reason="Oops")


def test_a_cancellation_says_why(manager, organization, resident):
    request = request_test(manager, resident, due_on=organization.today())
    _refused(lambda: services.test_request_cancel(actor=manager, request=request, reason="  "), "reason")


def test_a_request_is_for_a_current_resident(manager, organization, resident_factory):
    _refused(lambda: request_test(manager, resident_factory(), due_on=organization.today()), "resident")


def test_a_request_cannot_be_due_in_the_past(manager, organization, resident):
    _refused(lambda: request_test(manager, resident, due_on=days_ago(organization, 1)), "due_on")
    assert not TestRequest.objects.exists()


def test_a_manager_may_not_ask_for_a_test_outside_their_houses(manager, operator, organization, other_house):
    elsewhere = admit(other_house, on=days_ago(organization, 40), actor=operator).resident
    with pytest.raises(NotAllowed):
        request_test(manager, elsewhere, due_on=organization.today())
    assert not TestRequest.objects.exists()


def test_other_modules_can_ask_for_a_test_after_a_pass(manager, organization, house, resident):
    request = services.test_request_create(
        actor=None, resident=resident, reason="return_from_pass", due_on=organization.today(), note="Back from pass"
    )
    assert (request.house, request.stay, request.requested_on) == (house, resident.stays.get(), organization.today())


# Overdue


def test_overdue_requests_are_open_and_due_before_today(operator, manager, organization, house, other_house, resident):
    def make(who, where, due_days_ago, status="open"):
        return TestRequest.objects.create(
            organization=organization, resident=who, stay=who.stays.get(), house=where, reason="random",
            requested_on=days_ago(organization, 10), due_on=days_ago(organization, due_days_ago), status=status,
        )  # fmt: skip

    late = make(resident, house, 2)
    make(resident, house, 0)  # due today: not yet overdue
    make(resident, house, 3, status="cancelled")
    elsewhere = admit(other_house, on=days_ago(organization, 40), actor=operator).resident
    late_elsewhere = make(elsewhere, other_house, 1)
    assert list(selectors.overdue_test_requests(viewer=operator, house=house)) == [late]
    assert list(selectors.overdue_test_requests(viewer=operator)) == [late, late_elsewhere]
    assert list(selectors.overdue_test_requests(viewer=manager)) == [late]


# Who may record and correct


def test_a_resident_cannot_record_a_drug_test(resident_member, resident, yesterday):
    with pytest.raises(NotAllowed):
        record_test(resident_member, resident, on=yesterday)
    assert not DrugTest.objects.exists()


def test_staff_correct_a_tests_lab_reference_and_notes_but_not_its_result(manager, resident, yesterday):
    test = record_test(manager, resident, on=yesterday, result="negative")
    services.drug_test_annotate(actor=manager, test=test, lab_reference="LC-123456", notes="Sent to the lab twice.")
    test.refresh_from_db()
    assert (test.lab_reference, test.notes, test.result) == ("LC-123456", "Sent to the lab twice.", "negative")


def test_a_manager_cannot_cancel_a_request_of_a_house_they_do_not_run(operator, manager, organization, other_house):
    elsewhere = admit(other_house, on=days_ago(organization, 30), actor=operator).resident
    request = request_test(operator, elsewhere, due_on=organization.today())
    with pytest.raises(NotAllowed):
        services.test_request_cancel(actor=manager, request=request, reason="Not mine")
    request.refresh_from_db()
    assert request.status == TestRequest.Status.OPEN
