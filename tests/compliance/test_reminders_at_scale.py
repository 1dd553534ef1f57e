"""The certification digest reads and claims the items of every house and organization in a fixed number of queries:
the same for 2 houses as for 20, on its first run and on a repeat with nothing left to send."""

from datetime import timedelta

import pytest
from django.core import mail

from compliance.models import ReminderSent
from compliance.services import inspections as inspection_services
from compliance.services.reminders import certification_reminders_send
from tests.access import make_manager
from tests.factories import HouseFactory

from .conftest import upload

# Measured with 2 houses (one organization's items, its operator and each house's manager).
FIRST_RUN_QUERIES = 10
REPEAT_QUERIES = 8


def _houses_with_everything_due(operator, count):
    """``count`` Level II houses, each with a document and a kit lapsing soon, the extinguisher's service, an
    inspection and a corrective action overdue, no drill, and its own manager: six items and a digest per house."""
    organization = operator.organization
    today = organization.today()
    for number in range(count):
        house = HouseFactory(organization=organization, name=f"Home {number:03d}", narr_level=2, beds=1)
        make_manager(organization, house)
        upload(operator, house, "liability_insurance", expires_on=today + timedelta(days=2))
        inspection = inspection_services.inspection_start(
            actor=operator, house=house, inspected_on=today - timedelta(days=400)
        )
        for line in inspection.lines.all():
            extra = {}
            if line.item == "fire_extinguisher":
                extra = {"location": "Kitchen", "last_serviced_on": inspection.inspected_on}
            if line.item == "naloxone_kit":
                extra = {"location": "Hall", "quantity": 2, "expires_on": today + timedelta(days=5)}
            result = "fail" if line.item == "exits_clear" else "pass"
            inspection_services.inspection_line_record(actor=operator, line=line, result=result, note="Seen", **extra)
        inspection_services.inspection_complete(actor=operator, inspection=inspection)


@pytest.mark.parametrize("houses", [2, 20])
def test_the_first_run_takes_the_same_queries_for_2_houses_as_for_20(operator, houses, django_assert_max_num_queries):
    _houses_with_everything_due(operator, houses)
    with django_assert_max_num_queries(FIRST_RUN_QUERIES):
        sent = certification_reminders_send()
    assert sent == houses + 1  # each house's manager and the operator
    assert ReminderSent.objects.count() == houses * 6


@pytest.mark.parametrize("houses", [2, 20])
def test_a_repeat_run_takes_the_same_queries_for_2_houses_as_for_20_and_sends_nothing(
    operator, houses, django_assert_max_num_queries
):
    _houses_with_everything_due(operator, houses)
    certification_reminders_send()
    mail.outbox = []
    with django_assert_max_num_queries(REPEAT_QUERIES):
        assert certification_reminders_send() == 0
    assert mail.outbox == []
