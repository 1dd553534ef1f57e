"""Every certification endpoint, tried by every role, on its own organization's objects and on another's.

Roles: the operator; a manager who runs ``house`` but not ``other_house``; a resident living in ``house``; an
operator of another organization (``outsider``). A forbidden object answers 404, a forbidden role 403.
"""

import shutil
import tempfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from compliance.models import CorrectiveAction, SafetyPolicy
from compliance.services import inspections as inspection_services
from compliance.services import safety as safety_services
from compliance.services.drills import drill_log
from tests.access import request_as, world_once_per_module

from .conftest import pdf, upload

ROLES = ["operator", "manager", "resident_member", "outsider"]


# The world's documents are stored once for the module, so every test reads them from one media folder.
MATRIX_MEDIA = Path(tempfile.mkdtemp(prefix="hearth-compliance-matrix-")) / "media"


@pytest.fixture(scope="module", autouse=True)
def _matrix_media():
    yield
    shutil.rmtree(MATRIX_MEDIA.parent, ignore_errors=True)


@pytest.fixture(autouse=True)
def media_root(settings):
    settings.MEDIA_ROOT = MATRIX_MEDIA
    return MATRIX_MEDIA


@override_settings(MEDIA_ROOT=MATRIX_MEDIA)
def _world(house, other_house, foreign_house, operator, manager, resident_member, outsider, **_made):
    today = house.organization.today()

    def evidence(target):
        inspection = inspection_services.inspection_start(actor=operator, house=target)
        line = inspection.lines.get(item="exits_clear")
        inspection_services.inspection_line_record(actor=operator, line=line, result="fail", note="Blocked")
        return {
            "inspection": inspection,
            "line": line,
            "action": CorrectiveAction.objects.get(line=line),
            "drill": drill_log(
                actor=operator, house=target, held_at=timezone.now(), residents_present=3, evacuation_minutes=Decimal(2)
            ),
            "policy": SafetyPolicy.objects.create(organization=target.organization, house=target),
            "kit": safety_services.safety_equipment_add(
                actor=operator,
                house=target,
                kind="naloxone_kit",
                location="Hall",
                quantity=1,
                expires_on=today + timedelta(days=90),
            ),
        }

    own, other = evidence(house), evidence(other_house)
    names = {
        "house": house, "other_house": other_house, "foreign_house": foreign_house,
        "handbook": upload(operator, house, "resident_handbook"),
        "insurance": upload(operator, house, "liability_insurance"),
        "other_handbook": upload(operator, other_house, "resident_handbook"),
        "ethics": upload(operator, None, "code_of_ethics"),
    }  # fmt: skip
    names.update(dict(own.items()))
    names.update({f"other_{key}": value for key, value in other.items()})
    return names


# Made once for the module (tests/access.py): each test gets its own copy, and its writes roll back.
globals().update(
    world_once_per_module(
        _world, ["house", "other_house", "foreign_house", "operator", "manager", "resident_member", "outsider"]
    )
)


ALL = {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}
STAFF_OWN = {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}
STAFF_OTHER = {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}
STAFF_LIST = {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 200}

# (method, path template, body, expected status per role)
MATRIX = [
    ("get", "/api/v1/documents/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("get", "/api/v1/documents/{handbook}/", None, STAFF_OWN),
    ("get", "/api/v1/documents/{handbook}/download/", None, ALL),
    ("get", "/api/v1/documents/{insurance}/", None, STAFF_OWN),
    ("get", "/api/v1/documents/{insurance}/download/", None, {"operator": 200, "manager": 200, "resident_member": 404, "outsider": 404}),
    ("get", "/api/v1/documents/{other_handbook}/", None, STAFF_OTHER),
    ("get", "/api/v1/documents/{other_handbook}/download/", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("get", "/api/v1/documents/{ethics}/", None, STAFF_OWN),
    ("get", "/api/v1/documents/{ethics}/download/", None, {"operator": 200, "manager": 200, "resident_member": 404, "outsider": 404}),
    ("get", "/api/v1/safety-policies/", None, STAFF_LIST),
    ("get", "/api/v1/safety-policies/{policy}/", None, STAFF_OWN),
    ("get", "/api/v1/safety-policies/{other_policy}/", None, STAFF_OTHER),
    ("patch", "/api/v1/safety-policies/{policy}/", {"drill_interval_days": 60}, STAFF_OWN),
    ("patch", "/api/v1/safety-policies/{other_policy}/", {"drill_interval_days": 60}, STAFF_OTHER),
    ("get", "/api/v1/safety-equipment/", None, STAFF_LIST),
    ("get", "/api/v1/safety-equipment/{kit}/", None, STAFF_OWN),
    ("get", "/api/v1/safety-equipment/{other_kit}/", None, STAFF_OTHER),
    ("patch", "/api/v1/safety-equipment/{kit}/", {"quantity": 2}, STAFF_OWN),
    ("post", "/api/v1/safety-equipment/", {"house": "{house}", "kind": "naloxone_kit", "location": "Den", "expires_on": "2030-01-01"}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/safety-equipment/", {"house": "{other_house}", "kind": "naloxone_kit", "location": "Den", "expires_on": "2030-01-01"}, {"operator": 201, "manager": 400, "resident_member": 403, "outsider": 400}),
    ("get", "/api/v1/inspections/", None, STAFF_LIST),
    ("get", "/api/v1/inspections/{inspection}/", None, STAFF_OWN),
    ("get", "/api/v1/inspections/{other_inspection}/", None, STAFF_OTHER),
    ("post", "/api/v1/inspections/start/", {"house": "{foreign_house}"}, {"operator": 400, "manager": 400, "resident_member": 403, "outsider": 201}),
    ("post", "/api/v1/inspections/{inspection}/complete/", {}, {"operator": 400, "manager": 400, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/inspections/{other_inspection}/complete/", {}, {"operator": 400, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/inspection-lines/", None, STAFF_LIST),
    ("get", "/api/v1/inspection-lines/{line}/", None, STAFF_OWN),
    ("post", "/api/v1/inspection-lines/{line}/record/", {"result": "pass"}, STAFF_OWN),
    ("post", "/api/v1/inspection-lines/{other_line}/record/", {"result": "pass"}, STAFF_OTHER),
    ("get", "/api/v1/corrective-actions/", None, STAFF_LIST),
    ("get", "/api/v1/corrective-actions/{action}/", None, STAFF_OWN),
    ("post", "/api/v1/corrective-actions/{action}/fix/", {"note": "Cleared"}, STAFF_OWN),
    ("post", "/api/v1/corrective-actions/{other_action}/fix/", {"note": "Cleared"}, STAFF_OTHER),
    ("get", "/api/v1/drills/", None, STAFF_LIST),
    ("get", "/api/v1/drills/overdue/", None, STAFF_LIST),
    ("get", "/api/v1/drills/{drill}/", None, STAFF_OWN),
    ("get", "/api/v1/drills/{other_drill}/", None, STAFF_OTHER),
    ("delete", "/api/v1/drills/{drill}/", None, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("post", "/api/v1/drills/", {"house": "{house}", "held_at": "2026-01-10T19:00:00Z", "residents_present": 4, "evacuation_minutes": "2.0"}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/drills/", {"house": "{other_house}", "held_at": "2026-01-10T19:00:00Z", "residents_present": 4, "evacuation_minutes": "2.0"}, {"operator": 201, "manager": 400, "resident_member": 403, "outsider": 400}),
    ("get", "/api/v1/houses/{house}/certification/", None, STAFF_OWN),
    ("get", "/api/v1/houses/{other_house}/certification/", None, STAFF_OTHER),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _b, _e in MATRIX])
def test_each_role_gets_exactly_its_access(request, api, world, role, method, path, body, expected):
    member = request.getfixturevalue(role)
    response = request_as(api(member), method, path, body, world)
    assert response.status_code == expected[role], response.content


@pytest.mark.parametrize("role", ROLES)
def test_document_uploads_follow_the_role(request, api, world, role):
    member = request.getfixturevalue(role)
    response = api(member).post(
        "/api/v1/documents/",
        {"house": world["house"].pk, "kind": "refund_policy", "title": "Refunds", "file": pdf()},
        format="multipart",
    )
    assert response.status_code == {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}[role]


@pytest.mark.parametrize("role", ["operator", "manager", "outsider"])
def test_lists_show_only_what_each_role_may_see(request, api, world, role):
    member = request.getfixturevalue(role)
    client = api(member)
    houses = {row["house"] for row in client.get("/api/v1/inspections/").json()["results"]}
    expected = {
        "operator": {world["house"].pk, world["other_house"].pk},
        "manager": {world["house"].pk},
        "outsider": set(),
    }[role]
    assert houses == expected
    assert {row["house"] for row in client.get("/api/v1/drills/").json()["results"]} == expected
    assert {row["house"] for row in client.get("/api/v1/corrective-actions/").json()["results"]} == expected


@pytest.mark.parametrize("role", ["operator", "manager", "resident_member", "outsider"])
def test_the_evidence_pack_follows_the_role(request, api, world, role):
    member = request.getfixturevalue(role)
    response = api(member).get(f"/api/v1/houses/{world['other_house'].pk}/certification/pack/")
    assert response.status_code == {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}[role]


def test_an_anonymous_caller_is_refused_everywhere(client, world):
    for path in ["/api/v1/documents/", "/api/v1/inspections/", "/api/v1/drills/", "/api/v1/corrective-actions/",
                 f"/api/v1/houses/{world['house'].pk}/certification/"]:  # fmt: skip
        assert client.get(path).status_code in (401, 403)
