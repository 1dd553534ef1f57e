"""Inputs a fuzzer sends (a word for an id, dates at the ends of the calendar, an optional field left out) get a
4xx that says what is wrong, never a server error."""

import pytest

from accounts.dates import OUT_OF_RANGE
from residents.models import HouseRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api, operator):
    return api(operator)


def test_an_organization_wide_rule_can_be_added_without_naming_a_house(client):
    response = client.post(
        "/api/v1/house-rules/",
        {"category": "conduct", "text": "No violence.", "consequence": "Discharge."},
        format="json",
    )
    assert response.status_code == 201
    assert HouseRule.objects.get().house is None


def test_a_report_download_with_a_word_for_its_id_is_not_found(client):
    response = client.get("/api/v1/reports/abc/download/")
    assert response.status_code == 404


def test_a_house_page_with_a_word_for_its_id_is_not_found(client):
    response = client.get("/api/v1/houses/abc/certification/")
    assert response.status_code == 404


@pytest.mark.parametrize("month", ["9999-12", "0001-01"])
def test_monthly_figures_for_a_month_outside_1900_to_2200_are_refused(client, month):
    response = client.get(f"/api/v1/reports/monthly/?month={month}")
    assert response.status_code == 400
    assert response.json() == {"month": [OUT_OF_RANGE]}


def test_curfew_violations_for_a_night_in_year_9999_are_refused(client, house):
    response = client.get(f"/api/v1/houses/{house.pk}/curfew-violations/?night=9999-12-31")
    assert response.status_code == 400
    assert response.json() == {"night": [OUT_OF_RANGE]}


def test_certification_as_of_year_1_is_refused(client, house):
    response = client.get(f"/api/v1/houses/{house.pk}/certification/?on=0001-01-01")
    assert response.status_code == 400
    assert response.json() == {"on": [OUT_OF_RANGE]}


def test_the_audit_log_between_year_1_and_9999_is_refused(client):
    response = client.get("/api/v1/audit-log/?since=0001-01-01&until=9999-12-31")
    assert response.status_code == 400
    assert response.json() == {"since": [OUT_OF_RANGE], "until": [OUT_OF_RANGE]}


def test_a_list_filtered_by_a_date_in_year_9999_is_refused(client):
    response = client.get("/api/v1/drug-tests/?collected_from=9999-12-31")
    assert response.status_code == 400
    assert response.json() == {"collected_from": [OUT_OF_RANGE]}


def test_a_list_filtered_by_a_time_in_year_1_is_refused(client):
    response = client.get("/api/v1/sign-outs/?signed_out_after=0001-01-01T00:00:00%2B05:00")
    assert response.status_code == 400
    assert response.json() == {"signed_out_after": [OUT_OF_RANGE]}


def test_an_admission_dated_year_1_is_refused(client, resident_factory, house):
    bed = house.beds.first()
    response = client.post(
        "/api/v1/stays/admit/", {"resident": resident_factory().pk, "bed": bed.pk, "on": "0001-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"on": [OUT_OF_RANGE]}


def test_a_sign_out_expected_back_in_year_1_is_refused(client, house):
    response = client.post("/api/v1/sign-outs/", {"expected_return_at": "0001-01-01T00:00:00+05:00"}, format="json")
    assert response.status_code == 400
    assert response.json()["expected_return_at"] == [OUT_OF_RANGE]


def test_the_audit_page_between_year_1_and_9999_is_refused(page, operator):
    response = page(operator).get("/dashboard/audit/?since=0001-01-01&until=9999-12-31")
    assert response.status_code == 400
    assert OUT_OF_RANGE in response.content.decode()


def test_the_chores_page_for_the_week_of_year_1_is_refused(page, operator, house):
    response = page(operator).get(f"/dashboard/houses/{house.pk}/chores/?week=0001-01-01")
    assert response.status_code == 400
    assert OUT_OF_RANGE in response.content.decode()


def test_generating_the_chores_of_the_week_of_year_1_is_refused(page, operator, house):
    response = page(operator).submit(
        f"/dashboard/houses/{house.pk}/chores/", {"week_start": "0001-01-01"}, form="form[action$='/generate/']"
    )
    assert response.status_code == 400
    assert OUT_OF_RANGE in response.content.decode()


def test_a_filter_by_an_id_too_large_for_the_database_is_a_400(client):
    response = client.get(f"/api/v1/rooms/?house={2**70}")
    assert response.status_code == 400
    assert list(response.json()) == ["house"]
