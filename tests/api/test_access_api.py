"""The API endpoints no other matrix tries: reports and month closes, the audit log, API tokens, invitations resent,
portal logins, the stay and application lists and admissions, and the evidence pack; every role, on its own
organization's objects and on another's.

Roles: the operator; a manager who runs ``house`` but not ``other_house``; a resident living in ``house``; an
operator of another organization (``outsider``). A forbidden object answers 404, a forbidden role 403.
"""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings

from accounts.models import AuditEntry, Role
from accounts.tokens import token_create
from reports.models import MonthClose, Report
from residents.core.services.applications import application_create, application_move
from tests.access import request_as, world_once_per_module
from tests.factories import MembershipFactory, ResidentFactory

ROLES = ["operator", "manager", "resident_member", "outsider"]


def _accepted(actor, house, first_name):
    application = application_create(
        actor=actor, first_name=first_name, last_name="Lane", phone="1", applied_on=date(2026, 2, 1),
        preferred_house=house,
    )  # fmt: skip
    for status in ["waitlisted", "accepted"]:
        application = application_move(actor=actor, application=application, to=status)
    return application


@pytest.fixture(scope="module", autouse=True)
def _media(tmp_path_factory):
    # Module-wide, as the world's report files are written once for the module.
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


def _world(organization, house, other_house, operator, resident_member, **_made):
    def report(target):
        return Report.objects.create(
            organization=target.organization, month=date(2026, 1, 1), house=target, status=Report.Status.DONE,
            file=ContentFile(b"%PDF-1.4 test", name="report.pdf"),
        )  # fmt: skip

    invited = MembershipFactory(organization=organization, role=Role.MANAGER, user__last_login=None)
    return {
        "house": house,
        "other_house": other_house,
        "bed": house.beds.order_by("pk").last(),  # the first is the resident's
        "other_bed": other_house.beds.order_by("pk").last(),
        "applicant": ResidentFactory(organization=organization),
        "resident": ResidentFactory(organization=organization),
        "application": _accepted(operator, house, "Ada"),
        "other_application": _accepted(operator, other_house, "Bo"),
        "report": report(house),
        "other_report": report(other_house),
        "close": MonthClose.objects.create(organization=organization, month=date(2026, 1, 1), closed_by=operator.user),
        "entry": AuditEntry.objects.create(
            organization=organization,
            actor=operator.user,
            action=AuditEntry.Action.VIEW,
            object_type="residents.resident",
            object_id=str(resident_member.resident.pk),
        ),
        "token": token_create(user=operator.user, name="Laptop")[0],
        "invited": invited,
    }


# Made once for the module (tests/access.py): each test gets its own copy, and its writes roll back.
globals().update(
    world_once_per_module(
        _world,
        ["organization", "house", "other_house", "foreign_house", "operator", "manager", "resident_member", "outsider"],
    )
)


ALL = {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}
STAFF_LIST = {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 200}
STAFF_OWN = {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}
STAFF_OTHER = {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}
OPERATORS_LIST = {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 200}
OPERATORS_OWN = {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 404}

# (method, path template, body, expected status per role)
MATRIX = [
    ("get", "/api/v1/reports/", None, STAFF_LIST),
    ("get", "/api/v1/reports/{report}/", None, STAFF_OWN),
    ("get", "/api/v1/reports/{other_report}/", None, STAFF_OTHER),
    ("get", "/api/v1/reports/{report}/download/", None, STAFF_OWN),
    ("get", "/api/v1/reports/{other_report}/download/", None, STAFF_OTHER),
    ("get", "/api/v1/reports/monthly/?month=2026-01", None, {"operator": 200, "manager": 400, "resident_member": 403, "outsider": 200}),
    ("get", "/api/v1/reports/monthly/?month=2026-01&house={house}", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 400}),
    ("get", "/api/v1/month-closes/", None, STAFF_LIST),
    ("get", "/api/v1/month-closes/{close}/", None, STAFF_OWN),
    ("post", "/api/v1/month-closes/{close}/reopen/", {"reason": "A late payment"}, OPERATORS_OWN),
    ("get", "/api/v1/audit-log/", None, OPERATORS_LIST),
    ("get", "/api/v1/audit-log/{entry}/", None, OPERATORS_OWN),
    # A token is its user's own: anyone else's is not found, whatever their role.
    ("get", "/api/v1/auth/tokens/", None, ALL),
    ("delete", "/api/v1/auth/tokens/{token}/", None, {"operator": 204, "manager": 404, "resident_member": 404, "outsider": 404}),
    # The invited manager has already signed in, so there is nothing to resend: the operator reaches the service (409).
    ("post", "/api/v1/memberships/{invited}/resend/", {}, {"operator": 409, "manager": 403, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/residents/{resident}/portal-login/", {"email": "new.resident@example.org"}, STAFF_OWN),
    ("get", "/api/v1/stays/", None, ALL),
    ("post", "/api/v1/stays/admit/", {"resident": "{applicant}", "bed": "{bed}", "on": "2026-02-02"}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/stays/admit/", {"resident": "{applicant}", "bed": "{other_bed}", "on": "2026-02-02"}, {"operator": 201, "manager": 400, "resident_member": 403, "outsider": 400}),
    ("get", "/api/v1/applications/", None, STAFF_LIST),
    ("post", "/api/v1/applications/{application}/contact/", {"note": "Called"}, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/applications/{other_application}/contact/", {"note": "Called"}, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/applications/{application}/admit/", {"bed": "{bed}", "on": "2026-02-02"}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/applications/{other_application}/admit/", {"bed": "{other_bed}", "on": "2026-02-02"}, {"operator": 201, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/houses/{house}/certification/pack/", None, STAFF_OWN),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p} {b}" for m, p, b, _e in MATRIX])
def test_each_role_gets_exactly_its_access(request, api, world, role, method, path, body, expected):
    member = request.getfixturevalue(role)
    response = request_as(api(member), method, path, body, world)
    assert response.status_code == expected[role], response.content
