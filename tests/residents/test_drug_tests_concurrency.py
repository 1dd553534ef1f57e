"""Two staff at once: a week is drawn once, and a request is fulfilled by one test only (PostgreSQL row locks)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from residents.models import Draw, DrugTest, TestRequest
from residents.testing.services import drug_test_draws as draw_services
from tests.factories import admit

from .drug_tests_factories import days_ago, record_test, request_test, this_monday


def _run_together(*calls):
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_draws_of_a_week_make_one(operator, manager, organization, house):
    for _n in range(6):
        admit(house, on=days_ago(organization, 30), actor=operator)
    week = this_monday(organization) - timedelta(days=7)
    results = _run_together(
        lambda: draw_services.drug_test_draw(actor=operator, house=house, week_start=week),
        lambda: draw_services.drug_test_draw(actor=manager, house=house, week_start=week),
    )
    assert sorted(created for _draw, created in results) == [False, True]
    assert results[0][0].pk == results[1][0].pk
    assert Draw.objects.count() == 1
    assert TestRequest.objects.count() == Draw.objects.get().count == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_tests_fulfil_one_request_once(operator, manager, organization, house):
    resident = admit(house, on=days_ago(organization, 30), actor=operator).resident
    request = request_test(operator, resident, due_on=organization.today() + timedelta(days=1))
    yesterday = days_ago(organization, 1)
    tests = _run_together(
        lambda: record_test(operator, resident, on=yesterday),
        lambda: record_test(manager, resident, on=yesterday, method="saliva", panel=["thc"]),
    )
    request.refresh_from_db()
    assert DrugTest.objects.count() == 2
    assert request.status == "fulfilled"
    assert request.fulfilled_by_id in {test.pk for test in tests}
