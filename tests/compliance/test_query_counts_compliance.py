"""Every certification list costs the same number of queries whatever it holds."""

from datetime import timedelta
from decimal import Decimal

import pytest

from compliance.services import inspections as inspection_services
from compliance.services import safety as safety_services
from compliance.services.drills import drill_log
from tests.factories import HouseFactory

from .conftest import aware, upload

LISTS = [
    "/api/v1/documents/",
    "/api/v1/safety-policies/",
    "/api/v1/safety-equipment/",
    "/api/v1/inspections/",
    "/api/v1/inspection-lines/",
    "/api/v1/corrective-actions/",
    "/api/v1/drills/",
    "/api/v1/drills/overdue/",
]


def _grow(operator, size, today):
    from compliance.models import SafetyPolicy

    for _n in range(size):
        house = HouseFactory(organization=operator.organization, beds=4, narr_level=2)
        SafetyPolicy.objects.create(organization=house.organization, house=house)
        upload(operator, house, "refund_policy")
        upload(operator, house, "liability_insurance")
        safety_services.safety_equipment_add(
            actor=operator, house=house, kind="naloxone_kit", location="Hall", quantity=1,
            expires_on=today + timedelta(days=30),
        )  # fmt: skip
        inspection = inspection_services.inspection_start(actor=operator, house=house)
        line = inspection.lines.get(item="exits_clear")
        inspection_services.inspection_line_record(actor=operator, line=line, result="fail", note="Blocked")
        drill_log(
            actor=operator, house=house, held_at=aware(today - timedelta(days=100)), residents_present=3,
            evacuation_minutes=Decimal(2),
        )  # fmt: skip


@pytest.mark.parametrize("path", LISTS)
def test_a_certification_list_runs_a_constant_number_of_queries(
    api, operator, path, today, django_assert_max_num_queries
):
    client = api(operator)
    _grow(operator, 2, today)
    with django_assert_max_num_queries(12) as small:
        assert client.get(path + ("?page_size=200" if "overdue" not in path else "")).status_code == 200
    _grow(operator, 12, today)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(path + ("?page_size=200" if "overdue" not in path else "")).status_code == 200


def test_the_residents_document_list_runs_a_constant_number_of_queries(
    api, operator, house, resident_member, django_assert_max_num_queries
):
    client = api(resident_member)
    upload(operator, house, "resident_handbook")
    with django_assert_max_num_queries(8) as small:
        client.get("/api/v1/documents/")
    for kind in ("refund_policy", "fee_schedule", "grievance_policy"):
        upload(operator, house, kind)
        upload(operator, None, kind)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/api/v1/documents/").json()["count"] == 7
