"""Who may reach the export pages and downloads: an organization's export is its operators' alone (a manager and a
resident get 403, another organization's operator 404), a resident's record is that resident's alone."""

import pytest

from accounts.models import AuditEntry
from exports import services
from exports.models import DataExport
from tests.access import world_once_per_module
from tests.forms import FormClient
from tests.residents.rules_factories import resident_with_login

ROLES = ["operator", "manager", "resident_member", "outsider"]
OPERATORS = {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 200}
OUR_EXPORT = {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 404}
THEIR_EXPORT = {"operator": 404, "manager": 403, "resident_member": 403, "outsider": 200}
RESIDENT_RECORD_ON_DASHBOARD = {"operator": 404, "manager": 403, "resident_member": 403, "outsider": 404}
RESIDENTS = {"operator": 403, "manager": 403, "resident_member": 200, "outsider": 403}
NEIGHBOURS = {"operator": 403, "manager": 403, "resident_member": 404, "outsider": 403}

MATRIX = [
    ("/dashboard/export/", OPERATORS),
    ("/dashboard/export/{export}/download/", OUR_EXPORT),
    ("/dashboard/export/{foreign_export}/download/", THEIR_EXPORT),
    ("/dashboard/export/{record}/download/", RESIDENT_RECORD_ON_DASHBOARD),
    ("/portal/my-record/", RESIDENTS),
    ("/portal/my-record/{record}/download/", RESIDENTS),
    ("/portal/my-record/{neighbour_record}/download/", NEIGHBOURS),
    ("/portal/my-record/{export}/download/", NEIGHBOURS),
]
WRITES = [
    ("/dashboard/export/", {"operator": 302, "manager": 403, "resident_member": 403, "outsider": 302}),
    ("/portal/my-record/", {"operator": 403, "manager": 403, "resident_member": 302, "outsider": 403}),
]


def _world(organization, other_organization, house, operator, resident_member, outsider, **_):
    neighbour = resident_with_login(operator, house)
    records = {}
    for name, member in (("record", resident_member), ("neighbour_record", neighbour.membership)):
        made, _created = services.resident_export_request(actor=member)
        records[name] = services.export_generate(export_id=made.pk)
    return {
        "export": services.command_export(organization=organization),
        "foreign_export": services.command_export(organization=other_organization),
        **records,
    }


# Made once for the module (tests/access.py): each test gets its own copy, and its writes roll back.
globals().update(
    world_once_per_module(
        _world, ["organization", "other_organization", "house", "operator", "manager", "resident_member", "outsider"]
    )
)


def _client(member) -> FormClient:
    client = FormClient()
    client.force_login(member.user)
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "expected"), MATRIX)
def test_each_role_gets_exactly_its_access(request, world, role, path, expected):
    member = request.getfixturevalue(role)
    url = path.format(**{name: value.pk for name, value in world.items()})
    assert _client(member).get(url).status_code == expected[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "expected"), WRITES)
def test_asking_out_of_reach_is_refused_and_creates_nothing(request, world, role, path, expected):
    member = request.getfixturevalue(role)
    before = DataExport.objects.count()
    # A role refused the page has no form to submit: the post is hand-made.
    response = _client(member).post(path)
    assert response.status_code == expected[role]
    if expected[role] == 403:
        assert DataExport.objects.count() == before


def test_a_download_is_audit_logged_with_who_and_what(world, operator):
    response = _client(operator).get(f"/dashboard/export/{world['export'].pk}/download/")
    assert response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content)[:2] == b"PK"
    entry = AuditEntry.objects.get(action="download", object_type="exports.dataexport")
    assert (entry.actor, entry.object_id, entry.organization_id) == (
        operator.user, str(world["export"].pk), operator.organization_id,
    )  # fmt: skip


def test_a_refused_download_writes_no_audit_entry(world, outsider):
    assert _client(outsider).get(f"/dashboard/export/{world['export'].pk}/download/").status_code == 404
    assert not AuditEntry.objects.filter(action="download").exists()
