"""Every list costs the same number of queries whatever it holds."""

import pytest

from tests.factories import HouseFactory, MembershipFactory

LISTS = ["/api/v1/houses/", "/api/v1/rooms/", "/api/v1/beds/", "/api/v1/memberships/"]


def _grow(organization, size):
    for _n in range(size):
        house = HouseFactory(organization=organization, beds=4)
        member = MembershipFactory(organization=organization, role="manager")
        member.houses.add(house)


@pytest.mark.parametrize("path", LISTS)
def test_a_list_runs_a_constant_number_of_queries(api, operator, path, django_assert_max_num_queries):
    client = api(operator)
    _grow(operator.organization, 2)
    with django_assert_max_num_queries(8) as small:
        client.get(path + "?page_size=200")
    _grow(operator.organization, 25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(path + "?page_size=200")
    assert response.status_code == 200
