"""Defining phases at once through the API: the organization's lock serializes the two, as it does for the page."""

import pytest

from accounts.models import Role
from residents.models import Phase
from tests.concurrency import at_once
from tests.factories import MembershipFactory

from .phases_factories import make_phases

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_operators_naming_a_new_phase_alike_at_once_get_one_phase_and_one_refusal(api, operator, organization):
    make_phases(organization)
    other_operator = MembershipFactory(organization=organization, role=Role.OPERATOR)

    def define(membership, order, name):
        return lambda: api(membership).post("/api/v1/phases/", {"order": order, "name": name}, format="json")

    responses = at_once([define(operator, 4, "Alumni"), define(other_operator, 5, "ALUMNI")])
    assert sorted(response.status_code for response in responses) == [201, 400]
    refused = next(response for response in responses if response.status_code == 400)
    assert list(refused.json()) == ["name"]
    assert Phase.objects.filter(organization=organization, name__iexact="alumni").count() == 1
