"""``manage.py export_organization`` writes the same zip as the page, and the job's queries are bounded per table:
more rows cost no more queries."""

import hashlib
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.services import ledger as ledger_services
from exports import services
from exports.models import DataExport
from tests.clock import module_clock
from tests.factories import admit

from .helpers import read_zip, stored
from .world import NOW

_clock = module_clock(NOW)


def _residents(house, operator, count):
    for number in range(count):
        stay = admit(house, on=date(2026, 1, 10), actor=operator, legal_last_name=f"Resident {number}")
        ledger_services.charge_post(actor=operator, resident=stay.resident, kind="program_fee", amount="100.00",
                                    effective_on=date(2026, 2, 2))  # fmt: skip


def test_the_command_writes_the_same_files_as_the_page(operator, house, tmp_path):
    _residents(house, operator, 2)
    target = tmp_path / "export.zip"
    call_command("export_organization", operator.organization.slug, "--to", str(target))
    made = DataExport.objects.get()
    assert made.status == DataExport.Status.DONE
    assert made.requested_by is None
    data = target.read_bytes()
    assert hashlib.sha256(data).hexdigest() == made.sha256
    asked, _ = services.export_request(actor=operator, organization=operator.organization)
    page = read_zip(stored(services.export_generate(export_id=asked.pk)))
    command = read_zip(data)
    assert set(page) == set(command)
    # The audit log differs by design: the second zip's holds the first export (and the page's request).
    same = [name for name in page if name.endswith(".csv") and name != "audit_entries.csv"]
    assert {name: page[name] for name in same} == {name: command[name] for name in same}


def test_the_command_refuses_an_unknown_organization(db):
    with pytest.raises(CommandError, match="No organization has the slug 'nowhere'"):
        call_command("export_organization", "nowhere")
    assert not DataExport.objects.exists()


def _queries(organization) -> int:
    export = DataExport.objects.create(organization=organization, progress_total=1)
    with CaptureQueriesContext(connection) as queries:
        services.export_generate(export_id=export.pk)
    return len(queries)


def test_the_jobs_queries_do_not_grow_with_the_rows(operator, house):
    _residents(house, operator, 1)
    few = _queries(operator.organization)
    _residents(house, operator, 6)
    assert _queries(operator.organization) == few


def test_a_residents_record_costs_the_same_queries_however_long_it_is(operator, house):
    stay = admit(house, on=date(2026, 1, 10), actor=operator)
    resident = stay.resident

    def queries():
        export = DataExport.objects.create(organization=operator.organization, scope="resident", resident=resident)
        with CaptureQueriesContext(connection) as captured:
            services.export_generate(export_id=export.pk)
        return len(captured)

    few = queries()
    for day in range(3, 9):
        ledger_services.charge_post(actor=operator, resident=resident, kind="fine", amount="5.00",
                                    effective_on=date(2026, 2, day))  # fmt: skip
    assert queries() == few
