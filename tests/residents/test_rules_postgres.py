"""Races that only a real database with row locks can show: two people publishing, signing or answering at once."""

import threading

import pytest
from django.db import connection

from accounts.exceptions import DomainError
from residents.conduct.services import grievances as grievance_services
from residents.house_rules import services
from residents.models import Grievance, RuleAcknowledgement, RuleSet

from .rules_factories import current_set, file_grievance, house_rule, publish_defaults

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(*calls):
    """Runs each call in its own thread, released together; returns what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # the loser's refusal is part of the result
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_editors_publishing_at_once_get_consecutive_versions(operator, manager, house):
    publish_defaults(operator)
    results = _race(
        lambda: house_rule(manager, house, text="Quiet hours from 10 pm."),
        lambda: house_rule(operator, house, text="Lights out at midnight."),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(RuleSet.objects.filter(house=house).values_list("number", flat=True)) == [1, 2, 3]
    assert RuleSet.objects.filter(house=house, is_current=True).count() == 1
    assert len(current_set(house).rules.all()) == 5


def test_signing_twice_at_once_records_one_signature(operator, house, resident_member):
    publish_defaults(operator)
    resident = resident_member.resident
    rule_set = current_set(house)

    def sign():
        return services.rule_set_acknowledge(
            resident=resident, rule_set=rule_set, signature=resident.legal_name, ip_address="192.0.2.1"
        )

    results = _race(sign, sign)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(created for _ack, created in results) == [False, True]
    assert RuleAcknowledgement.objects.count() == 1


def test_two_operators_answering_at_once_record_one_answer(operator, resident_member, organization):
    from tests.factories import MembershipFactory

    second = MembershipFactory(organization=organization, role="operator")
    grievance = file_grievance(resident_member)
    results = _race(
        lambda: grievance_services.grievance_respond(actor=operator, grievance=grievance, response="First answer"),
        lambda: grievance_services.grievance_respond(actor=second, grievance=grievance, response="Second answer"),
    )
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 1
    assert refused[0].status_code == 409
    grievance = Grievance.objects.get()
    assert grievance.response in ("First answer", "Second answer")
