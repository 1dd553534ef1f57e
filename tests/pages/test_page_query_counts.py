"""Every list page costs the same number of queries whatever it holds (measured small, then large)."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditEntry
from residents.core.services.applications import application_create
from residents.core.services.stays import stay_admit, stay_discharge, stay_transfer
from tests.factories import HouseFactory, MembershipFactory, ResidentFactory, take_out_of_service


def _grow(operator, size):
    """Adds ``size`` houses' worth of everything: beds, residents with past and current stays, applications,
    managers and audit entries."""
    organization = operator.organization
    for _ in range(size):
        house = HouseFactory(organization=organization, beds=4)
        MembershipFactory(organization=organization, role="manager").houses.add(house)
        beds = list(house.beds.order_by("pk"))
        for bed in beds[:3]:
            past = stay_admit(
                actor=operator, resident=ResidentFactory(organization=organization), bed=bed, on=date(2025, 1, 1)
            )
            stay_discharge(actor=operator, stay=past, on=date(2025, 6, 1), reason="completed")
            stay_admit(
                actor=operator, resident=ResidentFactory(organization=organization), bed=bed, on=date(2026, 1, 1)
            )
        bed = beds[3]
        take_out_of_service(bed, date(2026, 1, 1), reason="Paint")
        for _n in range(2):
            application_create(actor=operator, first_name="A", last_name="B", phone="1", applied_on=date(2026, 1, 1),
                               preferred_house=house)  # fmt: skip
        AuditEntry.objects.create(organization=organization, actor=operator.user, action="view",
                                  object_type="residents.resident", at=timezone.now())  # fmt: skip


def _first_house(operator):
    return operator.organization.houses.order_by("pk").first()


PAGES = [
    lambda operator: "/dashboard/",
    lambda operator: f"/dashboard/houses/{_first_house(operator).pk}/beds/",
    lambda operator: f"/dashboard/houses/{_first_house(operator).pk}/waitlist/",
    lambda operator: f"/dashboard/houses/{_first_house(operator).pk}/rooms/",
    lambda operator: "/dashboard/residents/",
    lambda operator: "/dashboard/residents/?status=current&q=a&owing=on",
    lambda operator: "/dashboard/applications/",
    lambda operator: "/dashboard/applications/?status=waiting",
    lambda operator: "/dashboard/houses/",
    lambda operator: "/dashboard/staff/",
    lambda operator: "/dashboard/audit/",
]
NAMES = ["dashboard", "bed board", "waitlist", "rooms", "residents", "residents filtered", "applications",
         "applications waiting", "houses", "staff", "audit"]  # fmt: skip


def test_every_list_page_runs_a_constant_number_of_queries(page, operator):
    """Each page measured with one house of everything, then with thirteen (grown once for all the pages)."""
    client = page(operator)
    _grow(operator, 1)
    small = {name: _queries(client, path(operator)) for name, path in zip(NAMES, PAGES, strict=True)}
    _grow(operator, 12)
    large = {name: _queries(client, path(operator)) for name, path in zip(NAMES, PAGES, strict=True)}
    assert max(small.values()) <= 32, small  # the dashboard's "today" widgets take about twenty
    assert {name: large[name] <= small[name] for name in NAMES} == dict.fromkeys(NAMES, True), (small, large)


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_a_resident_page_costs_the_same_for_one_stay_or_many(page, operator, django_assert_max_num_queries):
    client = page(operator)
    house = HouseFactory(organization=operator.organization, beds=8)
    beds = list(house.beds.order_by("pk"))
    resident = ResidentFactory(organization=operator.organization)
    stay = stay_admit(actor=operator, resident=resident, bed=beds[0], on=date(2024, 1, 1))
    with django_assert_max_num_queries(40) as small:  # with the house-life sections (tests, chores, phase...)
        client.get(f"/dashboard/residents/{resident.pk}/")
    for number, bed in enumerate(beds[1:6], start=1):
        stay_transfer(actor=operator, stay=stay, bed=bed, on=date(2024, 1, 1) + timedelta(days=10 * number))
    stay_discharge(actor=operator, stay=stay, on=date(2024, 6, 1), reason="completed")
    stay = stay_admit(actor=operator, resident=resident, bed=beds[7], on=date(2025, 1, 1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"/dashboard/residents/{resident.pk}/")


def test_the_dashboard_needs_few_queries_even_for_many_houses(page, operator, django_assert_max_num_queries):
    _grow(operator, 15)
    client = page(operator)
    # session, user, membership, the switcher's memberships, houses, beds, waiting count (7), and the "today"
    # widgets: houses, tests, chores, signatures, passes, who is out, last night's beds and curfew (4), incidents
    # (2), this week's phase compliance (8), applications waiting for a first reply (1)
    with django_assert_max_num_queries(29):
        client.get("/dashboard/")
