"""The pages no other matrix tries: reports, payment settings, beds and their outages, staff invitations,
certification, phases, portal logins and admissions; every role, on the manager's house, another house of the
organization, and another organization. A role not allowed on a page gets 403; anything out of the member's sight is
404, as if it did not exist.

Roles: the operator; a manager who runs ``house`` but not ``other_house``; a resident living in ``house``; an
operator of another organization (``outsider``).
"""

import inspect
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings

from accounts.models import AuditEntry, Membership
from compliance.models import CorrectiveAction, Document, Drill, Inspection
from compliance.services import inspections as inspection_services
from compliance.services.documents import document_upload
from houses.models import Bed, BedOutage
from houses.services import bed_outage_create
from reports.models import MonthClose, Report
from residents.models import PhaseChange, Resident, Stay
from tests.access import world_once_per_module

from . import conftest as pages

ROLES = ["operator", "manager", "resident_member", "outsider"]


@pytest.fixture(scope="module", autouse=True)
def _media(tmp_path_factory):
    # Module-wide, as the world's files are written once for the module.
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


def _evidence(operator, house):
    inspection = inspection_services.inspection_start(actor=operator, house=house)
    line = inspection.lines.get(item="exits_clear")
    inspection_services.inspection_line_record(actor=operator, line=line, result="fail", note="Blocked")
    document = document_upload(
        actor=operator, house=house, kind="resident_handbook", title="Handbook",
        file=ContentFile(b"%PDF-1.4 handbook", name="handbook.pdf"), issued_on=None, expires_on=None,
    )  # fmt: skip
    return inspection, CorrectiveAction.objects.get(line=line), document


ROLE_NAMES = ["house", "other_house", "foreign_house", "operator", "manager", "resident_member", "outsider"]


def _world(organization, operator, outsider, **made):
    """The pages' world (tests/pages/conftest.py ``world``), with an outage, a finished report, an inspection with its
    corrective action and a document in the manager's house and in another house."""
    roles = {"operator": operator, "outsider": outsider, **{name: made[name] for name in ROLE_NAMES if name in made}}
    world = inspect.unwrap(pages.world)(organization=organization, **roles)
    found = dict(world)
    for prefix, house, actor in [("", world["house"], operator), ("other_", world["other_house"], operator),
                                 ("foreign_", world["foreign_house"], outsider)]:  # fmt: skip
        bed = world[f"{prefix}bed"]
        found[f"{prefix}outage"] = bed_outage_create(actor=actor, bed=bed, reason="Leak", start=date(2026, 3, 1))
        found[f"{prefix}report"] = Report.objects.create(
            organization=house.organization, month=date(2026, 1, 1), house=house, status=Report.Status.DONE,
            file=ContentFile(b"%PDF-1.4 report", name="report.pdf"),
        )  # fmt: skip
        (found[f"{prefix}inspection"], found[f"{prefix}action"], found[f"{prefix}document"]) = _evidence(actor, house)
    return found


# Made once for the module (tests/access.py): each test gets its own copy, and its writes roll back.
globals().update(world_once_per_module(_world, ["organization", *ROLE_NAMES]))


@pytest.fixture
def places(world):
    return world


OWN_HOUSE = {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}
OTHER_HOUSE = {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}
FOREIGN = {"operator": 404, "manager": 404, "resident_member": 403, "outsider": 200}
STAFF_ONLY = {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 200}
OPERATORS = {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 200}
OPERATORS_OWN = {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 404}
FOREIGN_OPERATORS = {"operator": 404, "manager": 403, "resident_member": 403, "outsider": 200}
NOWHERE = {"operator": 404, "manager": 404, "resident_member": 403, "outsider": 404}

MATRIX = [
    ("/", {"operator": 302, "manager": 302, "resident_member": 302, "outsider": 302}),
    ("/dashboard/reports/", STAFF_ONLY),
    ("/dashboard/reports/{report}/download/", OWN_HOUSE),
    ("/dashboard/reports/{other_report}/download/", OTHER_HOUSE),
    ("/dashboard/reports/{foreign_report}/download/", FOREIGN),
    ("/dashboard/settings/payments/", OPERATORS),
    ("/dashboard/houses/{house}/beds/{bed}/edit/", OPERATORS_OWN),
    ("/dashboard/houses/{foreign_house}/beds/{foreign_bed}/edit/", FOREIGN_OPERATORS),
    ("/dashboard/houses/{house}/beds/{bed}/outages/", OPERATORS_OWN),
    ("/dashboard/houses/{other_house}/beds/{other_bed}/outages/", OPERATORS_OWN),
    ("/dashboard/houses/{house}/beds/{bed}/outages/{outage}/edit/", OPERATORS_OWN),
    ("/dashboard/houses/{other_house}/beds/{other_bed}/outages/{other_outage}/edit/", OPERATORS_OWN),
    ("/dashboard/certification/", OPERATORS),
    ("/dashboard/houses/{house}/certification/", OWN_HOUSE),
    ("/dashboard/houses/{other_house}/certification/", OTHER_HOUSE),
    ("/dashboard/houses/{foreign_house}/certification/", FOREIGN),
    ("/dashboard/houses/{house}/certification/pack/", OWN_HOUSE),
    ("/dashboard/houses/{other_house}/certification/pack/", OTHER_HOUSE),
    ("/dashboard/documents/{document}/download/", OWN_HOUSE),
    ("/dashboard/documents/{other_document}/download/", OTHER_HOUSE),
    ("/dashboard/documents/{foreign_document}/download/", FOREIGN),
    ("/dashboard/houses/{house}/inspections/{inspection}/", OWN_HOUSE),
    ("/dashboard/houses/{other_house}/inspections/{other_inspection}/", OTHER_HOUSE),
    ("/dashboard/houses/{house}/inspections/{other_inspection}/", NOWHERE),
]  # fmt: skip


def _ids(places) -> dict:
    return {name: getattr(value, "pk", value) for name, value in places.items()}


@pytest.mark.parametrize(("path", "expected"), MATRIX, ids=[path for path, _ in MATRIX])
def test_each_role_gets_exactly_its_access_to_each_page(request, page, places, path, expected):
    url = path.format(**_ids(places))
    seen = {role: page(request.getfixturevalue(role)).get(url).status_code for role in ROLES}
    assert seen == expected


def snapshot() -> dict:
    """How many rows of each kind the writes below could add, change the state of, or remove."""
    return {
        "beds": list(Bed.objects.values_list("pk", "label", "in_service_from", "retired_on").order_by("pk")),
        "outages": list(BedOutage.objects.values_list("pk", "start", "end").order_by("pk")),
        "memberships": list(Membership.objects.values_list("pk", "is_active").order_by("pk")),
        "documents": Document.objects.count(),
        "drills": Drill.objects.count(),
        "inspections": list(Inspection.objects.values_list("pk", "status").order_by("pk")),
        "actions": list(CorrectiveAction.objects.values_list("pk", "fixed_on").order_by("pk")),
        "closes": list(MonthClose.objects.values_list("pk", "reopened_at").order_by("pk")),
        "phase_changes": PhaseChange.objects.count(),
        "residents": list(Resident.objects.values_list("pk", "membership_id").order_by("pk")),
        "stays": Stay.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


# Writes by whoever may not make them: (path, body, expected status per refused role). Each must change nothing.
# No page these roles can load offers these forms, so each is posted by hand, as a forged request would be.
NO_MANAGER = {"manager": 404, "resident_member": 403, "outsider": 404}
NO_MANAGER_ROLE = {"manager": 403, "resident_member": 403, "outsider": 404}
# Writes to the organization as a whole: another organization's operator makes them in their own, so only the roles of
# this organization are tried.
OPERATORS_ONLY = {"manager": 403, "resident_member": 403}
WRITES = [
    ("/dashboard/houses/{other_house}/beds/{other_bed}/outages/add/", {"reason": "Paint", "start": "2026-04-01"}, NO_MANAGER_ROLE),
    ("/dashboard/staff/invite/", {"email": "new.manager@example.org", "role": "manager"}, OPERATORS_ONLY),
    ("/dashboard/reports/close/", {"month": "2026-01"}, OPERATORS_ONLY),
    ("/dashboard/reports/reopen/", {"month": "2026-01", "reason": "Late"}, OPERATORS_ONLY),
    ("/dashboard/houses/{other_house}/beds/add/", {"bed-room": "{other_room}", "bed-label": "Cot"}, NO_MANAGER_ROLE),
    ("/dashboard/houses/{other_house}/beds/{other_bed}/back-in-service/", {}, NO_MANAGER_ROLE),
    ("/dashboard/houses/{other_house}/beds/{other_bed}/retire/", {"on": "2026-04-01"}, NO_MANAGER_ROLE),
    ("/dashboard/houses/{other_house}/beds/{other_bed}/unretire/", {}, NO_MANAGER_ROLE),
    ("/dashboard/houses/{other_house}/beds/{other_bed}/outages/{other_outage}/remove/", {}, NO_MANAGER_ROLE),
    ("/dashboard/staff/{invited}/withdraw/", {}, NO_MANAGER_ROLE),
    ("/dashboard/staff/{invited}/resend/", {}, NO_MANAGER_ROLE),
    ("/dashboard/houses/{other_house}/certification/documents/", {"kind": "refund_policy", "title": "Refunds"}, NO_MANAGER),
    ("/dashboard/houses/{other_house}/drills/", {"held_at": "2026-01-10T19:00", "residents_present": "4", "evacuation_minutes": "2"}, NO_MANAGER),
    ("/dashboard/houses/{other_house}/inspections/start/", {}, NO_MANAGER),
    ("/dashboard/houses/{other_house}/corrective-actions/{other_action}/fix/", {"note": "Cleared"}, NO_MANAGER),
    ("/dashboard/residents/{other_resident}/phase/start/", {}, NO_MANAGER),
    ("/dashboard/residents/{other_resident}/phase/promote/", {}, NO_MANAGER),
    ("/dashboard/residents/{other_resident}/portal-login/", {"email": "nora@example.org"}, NO_MANAGER),
    ("/dashboard/residents/{other_resident}/portal-login/withdraw/", {}, NO_MANAGER),
    ("/dashboard/residents/{other_resident}/portal-login/resend/", {}, NO_MANAGER),
    ("/dashboard/applications/{other_application}/admit/", {"bed": "{other_free_bed}", "on": "2026-02-02"}, NO_MANAGER),
    ("/dashboard/phases/add/", {"order": "9", "name": "Alumni", "meetings_per_week": "0", "drug_tests_per_month": "0", "passes_per_month": "0", "min_days_before_promotion": "0"}, OPERATORS_ONLY),
]  # fmt: skip


@pytest.fixture
def targets(places, organization, other_house):
    from accounts.models import Role
    from tests.factories import MembershipFactory

    invited = MembershipFactory(organization=organization, role=Role.MANAGER, user__last_login=None)
    return {
        **places,
        "invited": invited,
        "other_room": other_house.rooms.order_by("pk").first(),
        "other_free_bed": other_house.beds.order_by("pk")[1],
    }


@pytest.mark.parametrize(("path", "body", "expected"), WRITES, ids=[path for path, _, _ in WRITES])
def test_a_write_out_of_reach_is_refused_and_changes_nothing(request, page, targets, path, body, expected):
    values = _ids(targets)
    body = {name: value.format(**values) for name, value in body.items()}
    before = snapshot()
    url = path.format(**values)
    seen = {role: page(request.getfixturevalue(role)).post(url, body).status_code for role in expected}
    assert seen == expected
    assert snapshot() == before
