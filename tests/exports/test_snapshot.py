"""On PostgreSQL an export reads every table as of one moment (one REPEATABLE READ, read-only transaction): a
resident admitted while the zip is being written is in all of its files (residents, stays, bed assignments) or in
none, never in some. Progress is still seen by the page while the export runs."""

import threading
from datetime import date

import pytest
from django.db import connection

from exports import services
from exports.models import DataExport
from exports.writer import ZipOfCSV
from residents.models import Resident
from tests.clock import module_clock
from tests.factories import admit

from .helpers import as_dicts, read_zip, stored
from .world import NOW

_clock = module_clock(NOW)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _elsewhere(work):
    """Runs ``work`` on another connection (another thread), committed, as another request would, and returns what
    it returned."""
    result = {}

    def run():
        try:
            result["value"] = work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result["value"]


@pytest.fixture
def during_export(monkeypatch):
    """``during_export(after, work)``: runs ``work`` elsewhere once the export has written the file ``after``."""
    done = {}

    def hook(after, work):
        write = ZipOfCSV.write

        def write_then_work(self, name, header, rows):
            count = write(self, name, header, rows)
            if name == after:
                done["value"] = _elsewhere(work)
            return count

        monkeypatch.setattr(ZipOfCSV, "write", write_then_work)
        return done

    return hook


def test_a_resident_admitted_during_an_export_is_in_every_related_file_or_in_none(operator, house, during_export):
    admit(house, on=date(2026, 3, 1), actor=operator, legal_last_name="Early")
    # bed_assignments.csv is written before residents.csv and stays.csv.
    late = during_export(
        "bed_assignments.csv", lambda: admit(house, on=date(2026, 3, 2), actor=operator, legal_last_name="Late")
    )
    files = read_zip(stored(services.command_export(organization=operator.organization)))
    stay = late["value"]
    present = [
        str(stay.resident_id) in {row["id"] for row in as_dicts(files["residents.csv"])},
        str(stay.pk) in {row["id"] for row in as_dicts(files["stays.csv"])},
        str(stay.pk) in {row["stay_id"] for row in as_dicts(files["bed_assignments.csv"])},
    ]
    assert present == [False, False, False]
    assert Resident.objects.filter(legal_last_name="Late").exists()  # it was committed meanwhile
    assert {row["legal_last_name"] for row in as_dicts(files["residents.csv"])} == {"Early"}


def test_the_page_sees_an_exports_progress_while_it_is_written(operator, house, during_export):
    export = DataExport.objects.create(organization=operator.organization, progress_total=10)
    seen = during_export(
        "residents.csv", lambda: DataExport.objects.values_list("status", "progress_done").get(pk=export.pk)
    )
    services.export_generate(export_id=export.pk)
    status, done = seen["value"]
    assert status == DataExport.Status.RUNNING
    assert done > 0


def test_a_residents_record_is_read_as_of_one_moment(operator, house, resident_member, during_export):
    from billing.services import ledger as ledger_services

    resident = resident_member.resident
    export = DataExport.objects.create(organization=resident.organization, scope="resident", resident=resident)
    # ledger.csv is written after receipts.csv: a charge posted between them is in neither or both.
    posted = during_export("receipts.csv", lambda: ledger_services.charge_post(
        actor=operator, resident=resident, kind="fine", amount="9.00", memo="Late charge",
        effective_on=date(2026, 3, 3),
    ))  # fmt: skip
    files = read_zip(stored(services.export_generate(export_id=export.pk)))
    assert posted["value"].memo == "Late charge"  # committed while the record was written
    assert "Late charge" not in {row["description"] for row in as_dicts(files["ledger.csv"])}
