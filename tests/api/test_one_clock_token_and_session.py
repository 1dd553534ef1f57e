"""Issue 12, requirement 3 (one clock): a token and a session get the same answers, read on the organization's clock.

The instant: 8:30 p.m. on Tuesday, December 1, 2026 in Los Angeles, already 4:30 a.m. on December 2 in UTC. Before
the fix a token request ran in UTC (the page middleware cannot read a token) and disagreed with a session about
"today", the waitlist at the end of November and the offset of every time it showed.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import ApiToken, Role
from residents.core.services import applications as application_services
from residents.models import Application
from tests.factories import HouseFactory, MembershipFactory, OrganizationFactory, admit
from tests.residents.drug_tests_factories import record_test

PACIFIC = ZoneInfo("America/Los_Angeles")
EVENING = datetime(2026, 12, 1, 20, 30, tzinfo=PACIFIC)


def _at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def pacific(db):
    """An organization in Los Angeles with a house, a resident, a drug test taken the evening of December 1 and an
    application waitlisted the evening of November 30 (already December 1 in UTC)."""
    organization = OrganizationFactory(name="Pacific Homes", slug="pacific", timezone="America/Los_Angeles")
    operator = MembershipFactory(organization=organization, role=Role.OPERATOR, user__full_name="Paula Operator")
    with _at(datetime(2026, 9, 1, 9, tzinfo=PACIFIC)):
        house = HouseFactory(organization=organization, name="Cypress House", beds=4)
        resident = admit(house, on=date(2026, 9, 1), legal_last_name="Alvarez", actor=operator).resident
    with _at(datetime(2026, 11, 30, 18, tzinfo=PACIFIC)):
        application = application_services.application_create(
            actor=operator, first_name="Dana", last_name="Reyes", phone="555-0100", preferred_house=house,
            applied_on=date(2026, 11, 30),
        )  # fmt: skip
        application_services.application_move(actor=operator, application=application, to=Application.Status.WAITLISTED)
    with _at(datetime(2026, 12, 1, 18, tzinfo=PACIFIC)):
        record_test(operator, resident, collected_at=datetime(2026, 12, 1, 17, 45, tzinfo=PACIFIC))
    return {"operator": operator, "house": house}


@pytest.fixture
def by_token(pacific):
    client = APIClient()
    _, key = ApiToken.objects.create(user=pacific["operator"].user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def by_session(pacific):
    client = APIClient()
    client.force_login(pacific["operator"].user)
    return client


def _requests(house_id):
    return [
        ("/api/v1/me/", {}),
        ("/api/v1/reports/monthly/", {"month": "2026-11"}),
        ("/api/v1/reports/monthly/", {"month": "2026-12"}),
        ("/api/v1/houses/{house}/waitlist/", {}),
        ("/api/v1/applications/", {}),
        ("/api/v1/houses/{house}/bed-board/", {}),
        ("/api/v1/drug-tests/", {"collected_from": "2026-12-01", "collected_to": "2026-12-01"}),
        ("/api/v1/drug-tests/", {"collected_from": "2026-12-02"}),
        ("/api/v1/test-requests/", {}),
        ("/api/v1/houses/{house}/curfew-violations/", {}),
        ("/api/v1/billing/aging/", {}),
        ("/api/v1/stays/", {}),
    ]


def _answers(client, house_id):
    answers = {}
    with _at(EVENING):
        for path, query in _requests(house_id):
            url = path.format(house=house_id)
            response = client.get(url, query)
            answers[url, tuple(query.items())] = (response.status_code, response.json())
    return answers


def test_a_token_and_a_session_get_the_same_answers(by_token, by_session, pacific):
    house_id = pacific["house"].pk
    token, session = _answers(by_token, house_id), _answers(by_session, house_id)
    for request, answer in session.items():
        assert token[request] == answer, request


def test_a_token_reads_the_days_on_the_organizations_calendar(by_token, pacific):
    answers = _answers(by_token, pacific["house"].pk)
    tests_today = answers["/api/v1/drug-tests/", (("collected_from", "2026-12-01"), ("collected_to", "2026-12-01"))]
    assert tests_today[0] == 200
    assert [row["collected_at"] for row in tests_today[1]["results"]] == ["2026-12-01T17:45:00-08:00"]
    # December 1 has no night over yet in Los Angeles, whatever the date in UTC.
    assert answers["/api/v1/reports/monthly/", (("month", "2026-12"),)][0] == 400


def test_a_token_counts_the_waitlist_at_the_end_of_the_month_on_the_organizations_calendar(by_token, pacific):
    status, november = _answers(by_token, pacific["house"].pk)["/api/v1/reports/monthly/", (("month", "2026-11"),)]
    assert status == 200, november
    # Waitlisted at 6 p.m. on November 30 in Los Angeles: still waiting when November ended there.
    assert november["totals"]["occupancy"]["waitlist"] == 1
