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
    small_count = len(small.captured_queries)  # read now: each request resets the log
    _grow(operator.organization, 25)
    with django_assert_max_num_queries(small_count):
        response = client.get(path + "?page_size=200")
    assert response.status_code == 200


RESIDENT_LISTS = ["/api/v1/residents/", "/api/v1/stays/", "/api/v1/applications/"]


def _grow_residents(organization, operator, size):
    from datetime import date

    from residents.core.services.applications import application_create
    from residents.core.services.stays import stay_admit
    from tests.factories import ResidentFactory

    house = HouseFactory(organization=organization, beds=size)
    for bed in house.beds.all():
        stay_admit(actor=operator, resident=ResidentFactory(organization=organization), bed=bed, on=date(2026, 1, 1))
        application_create(actor=operator, first_name="A", last_name="B", phone="1", applied_on=date(2026, 1, 1))


@pytest.mark.parametrize("path", RESIDENT_LISTS)
def test_resident_lists_run_a_constant_number_of_queries(api, operator, path, django_assert_max_num_queries):
    client = api(operator)
    _grow_residents(operator.organization, operator, 2)
    with django_assert_max_num_queries(10) as small:
        client.get(path + "?page_size=200")
    small_count = len(small.captured_queries)  # read now: each request resets the log
    _grow_residents(operator.organization, operator, 20)
    with django_assert_max_num_queries(small_count):
        assert client.get(path + "?page_size=200").status_code == 200
