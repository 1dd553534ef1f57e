"""A readmitted resident's archived records stay out of view, so their page tells staff that earlier records exist:
operators get a link to the resident's archive page (where they can restore them), managers of the house the
resident lives in get the count only."""

from datetime import date

import pytest
from django.utils import timezone

from residents.models import DrugTest
from residents.retention.services import archive_due
from tests.access import make_manager
from tests.factories import HouseFactory, admit
from tests.residents.drug_tests_factories import record_test

from .conftest import LATER, at

NOTICE = "4 earlier records of this resident are archived"


@pytest.fixture
def readmitted(former, house, operator):
    """Dale, discharged in 2026, his records archived in 2033 and admitted to ``house`` again."""
    with at(LATER):
        archive_due(actor=operator)
        admit(house, on=date(2033, 6, 1), resident=former)
        yield former


def _resident_page(page, member, resident) -> str:
    response = page(member).get(f"/dashboard/residents/{resident.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_operator_is_told_how_many_records_are_archived_and_where_to_restore_them(page, operator, readmitted):
    html = _resident_page(page, operator, readmitted)
    assert NOTICE in html
    assert f'href="/dashboard/archive/residents/{readmitted.pk}/"' in html


def test_a_manager_of_the_residents_house_sees_the_count_without_a_link(page, manager, readmitted):
    html = _resident_page(page, manager, readmitted)
    assert NOTICE in html
    assert "/dashboard/archive/" not in html


def test_a_manager_of_the_house_they_lived_in_before_is_not_told(page, organization, former, house, operator):
    # Dale comes back to another house: his old house's manager still opens his page, without the notice.
    with at(LATER):
        archive_due(actor=operator)
        admit(HouseFactory(organization=organization), on=date(2033, 6, 1), resident=former)
        html = _resident_page(page, make_manager(organization, house), former)
    assert "earlier record" not in html


def test_a_resident_without_archived_records_has_no_notice(page, operator, house):
    with at(LATER):
        stay = admit(house, on=date(2033, 6, 1))
        html = _resident_page(page, operator, stay.resident)
    assert "earlier record" not in html


def test_the_notice_costs_the_same_queries_for_more_archived_records(
    page, operator, readmitted, django_assert_max_num_queries
):
    client = page(operator)
    with at(LATER), django_assert_max_num_queries(60) as few:
        client.get(f"/dashboard/residents/{readmitted.pk}/")
    for day in (21, 22, 23, 24):
        record_test(operator, readmitted, on=date(2026, 1, day))
    DrugTest.objects.filter(resident=readmitted, archived_at__isnull=True).update(archived_at=timezone.now())
    with at(LATER), django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(f"/dashboard/residents/{readmitted.pk}/").content.decode()
    assert "8 earlier records of this resident are archived" in html
