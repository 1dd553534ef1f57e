"""Every way data leaves Hearth as an export is in the audit log: the operators' page request, a resident's request
for their own record, and ``manage.py export_organization`` (by the operator it names, or by no one)."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import AuditEntry
from exports.models import DataExport
from tests.clock import module_clock
from tests.forms import FormClient

from .world import NOW

_clock = module_clock(NOW)


def _client(member) -> FormClient:
    client = FormClient()
    client.force_login(member.user)
    return client


def _exports():
    return AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, object_type="exports.dataexport")


def test_the_command_writes_an_export_entry_by_no_one_from_the_command(operator):
    call_command("export_organization", operator.organization.slug)
    export = DataExport.objects.get()
    (entry,) = _exports()
    assert (entry.actor, entry.organization_id, entry.object_id) == (None, operator.organization_id, str(export.pk))
    assert entry.detail.startswith("manage.py export_organization")
    assert export.sha256 in entry.detail


def test_the_command_names_the_operator_who_ran_it(operator):
    call_command("export_organization", operator.organization.slug, "--operator", operator.user.email.upper())
    (entry,) = _exports()
    assert entry.actor == operator.user
    assert DataExport.objects.get().requested_by == operator


def test_the_command_refuses_someone_who_is_not_an_operator_of_the_organization(operator, manager, outsider):
    for email in (manager.user.email, outsider.user.email):
        with pytest.raises(CommandError, match="is not an operator of"):
            call_command("export_organization", operator.organization.slug, "--operator", email)
    assert not DataExport.objects.exists()
    assert not _exports().exists()


def test_an_operators_request_on_the_page_is_audited_with_where_it_came_from(operator):
    assert _client(operator).submit("/dashboard/export/").status_code == 302
    (entry,) = _exports()
    assert (entry.actor, entry.object_id) == (operator.user, str(DataExport.objects.get().pk))
    assert entry.path == "/dashboard/export/"
    assert entry.detail == "Asked for an export of all the data"


def test_a_residents_request_for_their_record_is_audited(resident_member):
    assert _client(resident_member).submit("/portal/my-record/").status_code == 302
    (entry,) = _exports()
    export = DataExport.objects.get()
    assert (entry.actor, entry.organization_id, entry.object_id) == (
        resident_member.user, resident_member.organization_id, str(export.pk),
    )  # fmt: skip
    assert entry.detail == "A resident asked for their own record"


def test_asking_again_while_an_export_is_written_writes_no_second_entry(operator):
    client = _client(operator)
    client.submit("/dashboard/export/")
    client.submit("/dashboard/export/")
    assert _exports().count() == 1
