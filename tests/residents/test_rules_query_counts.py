"""Every house-rule list (and the current rule set) costs the same number of queries whatever it holds."""

from datetime import date

import pytest

from residents.house_rules import services
from tests.factories import HouseFactory, admit

from .rules_factories import house_rule, publish_defaults, resident_with_login, sign

MORE_RULES = [
    ("guests", "Guests visit in the common areas only, 10 am to 9 pm.", "Guest privileges paused for a week."),
    ("meetings", "Go to three recovery meetings a week and bring the signed slip.", "Restriction to the house."),
    ("fees", "Rent is due every Friday by 6 pm.", "A $10 late fee per day."),
    ("conduct", "No violence or threats of violence.", "Immediate discharge."),
]


def _grow(operator, manager, house, size):
    """Adds ``size`` rules, houses, published versions, residents and signatures."""
    for number in range(size):
        extra = HouseFactory(organization=operator.organization, beds=2)
        manager.houses.add(extra)
        house_rule(manager, house, text=f"House rule number {number}.")
        services.rules_publish(
            actor=operator,
            changes=[services.RuleChange(category=c, text=f"{t} ({number})", consequence=q) for c, t, q in MORE_RULES],
        )
        resident = admit(house, on=date(2026, 1, 10), actor=operator).resident
        sign(resident, house)
        admit(house, on=date(2026, 1, 10), actor=operator)


@pytest.fixture
def grown(operator, manager, house, resident_member):
    publish_defaults(operator)
    sign(resident_member.resident, house)

    def grow(size):
        _grow(operator, manager, house, size)

    return grow


PATHS = [
    "/api/v1/house-rules/",
    "/api/v1/rule-sets/",
    "/api/v1/rule-acknowledgements/",
    "/api/v1/houses/{house}/rule-set/unsigned/",
    "/api/v1/houses/{house}/rule-set/",
]


@pytest.mark.parametrize("role", ["operator", "manager"])
@pytest.mark.parametrize("path", PATHS)
def test_a_staff_list_runs_a_constant_number_of_queries(
    request, api, house, grown, role, path, django_assert_max_num_queries
):
    client = api(request.getfixturevalue(role))
    url = path.format(house=house.pk) + ("?page_size=200" if not path.endswith("rule-set/") else "")
    grown(1)
    with django_assert_max_num_queries(10) as small:
        assert client.get(url).status_code == 200
    grown(6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


RESIDENT_PATHS = ["/api/v1/rule-sets/", "/api/v1/rule-acknowledgements/", "/api/v1/houses/{house}/rule-set/"]


@pytest.mark.parametrize("path", RESIDENT_PATHS)
def test_a_resident_list_runs_a_constant_number_of_queries(
    api, operator, house, grown, resident_member, path, django_assert_max_num_queries
):
    client = api(resident_member)
    url = path.format(house=house.pk)
    grown(1)
    with django_assert_max_num_queries(10) as small:
        assert client.get(url).status_code == 200
    grown(6)
    for _ in range(3):
        sign(resident_member.resident, house)  # the latest version, again and again as it changes
        change = services.RuleChange(category="other", text="Lock the back door.", consequence="A warning.")
        services.rules_publish(actor=operator, changes=[change])
    resident_with_login(operator, house)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
