"""The dashboard summarises and pages: totals over every house counted in the database, a page of houses at a time
(searchable by name, ordered by what needs attention), the same queries for 2 houses or 40, and phase compliance
and curfew judged only for the residents that can be behind or late."""

from datetime import timedelta

from residents.dashboard.selectors.dashboard import (
    HOUSES_PER_PAGE,
    attention_totals,
    could_be_behind,
    unsigned_count,
)
from residents.house_rules.selectors import unsigned_stays
from residents.models import TestRequest
from residents.program.selectors.signouts import find_curfew_violations
from residents.testing.services import drug_tests as test_services
from tests.factories import HouseFactory, admit
from tests.residents.phases_factories import local, log_out


def _houses(organization, count, beds=2, prefix="Home"):
    return [HouseFactory(organization=organization, name=f"{prefix} {n:03d}", beds=beds) for n in range(count)]


def test_the_totals_count_beds_occupied_free_and_out_of_service_in_every_house(operator, organization):
    first, second = _houses(organization, 2, beds=3)
    admit(first, actor=operator, on=organization.today() - timedelta(days=3))
    admit(second, actor=operator, on=organization.today() - timedelta(days=3))
    admit(second, actor=operator, on=organization.today() - timedelta(days=3))
    totals = attention_totals(viewer=operator)
    assert (totals["beds"], totals["occupied"], totals["free"], totals["out_of_service"]) == (6, 3, 3, 0)


def test_the_totals_count_overdue_and_due_tests(operator, organization):
    (house,) = _houses(organization, 1)
    today = organization.today()
    resident = admit(house, actor=operator, on=today - timedelta(days=10)).resident
    test_services.test_request_create(actor=operator, resident=resident, reason="for_cause", due_on=today)
    late = test_services.test_request_create(actor=operator, resident=resident, reason="for_cause", due_on=today)
    TestRequest.objects.filter(pk=late.pk).update(due_on=today - timedelta(days=2))
    totals = attention_totals(viewer=operator)
    assert (totals["tests_overdue"], totals["tests_due"]) == (1, 1)


def test_a_manager_s_totals_count_only_their_houses(manager, house, operator, organization):
    (elsewhere,) = _houses(organization, 1, beds=5)
    admit(elsewhere, actor=operator, on=organization.today() - timedelta(days=3))
    totals = attention_totals(viewer=manager)
    assert totals["beds"] == house.beds.count()
    assert totals["occupied"] == 0


def test_the_unsigned_count_agrees_with_the_unsigned_stays_selector(page, operator, life):
    organization = operator.organization
    houses = [life["house"].pk, life["other_house"].pk]
    expected = unsigned_stays(night=organization.today(), houses=houses).count()
    assert expected > 0
    assert unsigned_count(night=organization.today(), houses=houses) == expected


def test_the_house_table_shows_one_page_of_houses(page, operator, organization):
    _houses(organization, HOUSES_PER_PAGE + 3, beds=1)
    response = page(operator).get("/dashboard/")
    assert len(response.context["houses"]) == HOUSES_PER_PAGE
    second = page(operator).get("/dashboard/?page=2")
    assert [row["house"].name for row in second.context["houses"]] == [
        f"Home {n:03d}" for n in range(HOUSES_PER_PAGE, HOUSES_PER_PAGE + 3)
    ]


def test_the_house_table_searches_by_name(page, operator, organization):
    _houses(organization, 30, beds=1)
    response = page(operator).get("/dashboard/?q=home 02")
    assert [row["house"].name for row in response.context["houses"]] == [f"Home {n:03d}" for n in range(20, 30)]


def test_the_house_table_puts_the_houses_with_most_tests_overdue_first(page, operator, organization):
    houses = _houses(organization, 3, beds=1)
    today = organization.today()
    resident = admit(houses[2], actor=operator, on=today - timedelta(days=10)).resident
    late = test_services.test_request_create(actor=operator, resident=resident, reason="for_cause", due_on=today)
    TestRequest.objects.filter(pk=late.pk).update(due_on=today - timedelta(days=1))
    response = page(operator).get("/dashboard/?sort=overdue")
    assert response.context["houses"][0]["house"] == houses[2]


def test_each_total_links_to_where_it_is_handled(page, operator, organization):
    _houses(organization, 1)
    body = page(operator).get("/dashboard/").content.decode()
    for link in ["?sort=free#houses-heading", "?sort=overdue#houses-heading", "?sort=passes#houses-heading",
                 "/dashboard/applications/?status=waiting", "#w-chores", "#w-rules", "#w-out", "#w-curfew",
                 "#w-behind", "#w-incidents"]:  # fmt: skip
        assert f'href="{link}"' in body


def test_the_dashboard_costs_the_same_queries_for_two_houses_or_forty(
    page, operator, organization, django_assert_max_num_queries
):
    for house in _houses(organization, 2):
        admit(house, actor=operator, on=organization.today() - timedelta(days=5))
    client = page(operator)
    client.get("/dashboard/")
    with django_assert_max_num_queries(40) as small:
        client.get("/dashboard/")
    for house in _houses(organization, 38, prefix="More")[:10]:
        admit(house, actor=operator, on=organization.today() - timedelta(days=5))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/dashboard/?page=2").status_code == 200


def test_residents_without_a_phase_are_not_judged_for_phase_compliance(operator, organization):
    (house,) = _houses(organization, 1)
    admit(house, actor=operator, on=organization.today() - timedelta(days=10))
    assert not could_be_behind(viewer=operator, houses=[house.pk], today=organization.today()).exists()


def test_curfew_violations_agree_whether_given_a_list_or_a_queryset(operator, life):
    house = life["house"]
    organization = house.organization
    night = organization.today() - timedelta(days=1)
    late = admit(house, actor=operator, on=night - timedelta(days=5), legal_first_name="Leo", legal_last_name="Late")
    early = admit(house, actor=operator, on=night - timedelta(days=5), legal_first_name="Ed", legal_last_name="Early")
    log_out(late, actor=operator, out_at=local(organization, night, 20), back_at=local(organization, night, 23, 50))
    log_out(early, actor=operator, out_at=local(organization, night, 18), back_at=local(organization, night, 19))
    stays = house.stays.order_by("pk")
    as_list = find_curfew_violations(organization=organization, stays=list(stays), first_night=night, last_night=night)
    as_query = find_curfew_violations(organization=organization, stays=stays, first_night=night, last_night=night)
    assert [(v.stay, v.night, v.kind) for v in as_list] == [(v.stay, v.night, v.kind) for v in as_query]
    assert [v.stay for v in as_query] == [late]


def test_the_residents_list_searches_houses_by_name_when_there_are_too_many_to_list(page, operator, organization):
    houses = _houses(organization, 101, beds=1)
    stay = admit(houses[57], actor=operator, on=organization.today() - timedelta(days=5))
    response = page(operator).get("/dashboard/residents/?house_name=Home 057")
    assert [resident.pk for resident in response.context["page_obj"].object_list] == [stay.resident_id]
    assert "Home 099" not in response.content.decode()
