"""An organization's export: one CSV per table with documented columns, an accountant's ledger whose running balances
reconcile, no secrets, and every row of the organization."""

import hashlib
from decimal import Decimal

import pytest

from billing.models import LedgerEntry
from exports import services
from exports.models import DataExport
from exports.tables import organization_tables, unclassified_models
from residents.models import Resident
from tests.clock import module_clock

from .helpers import as_dicts, read_zip, stored
from .world import NOW, populate

_clock = module_clock(NOW)


@pytest.fixture
def world(organization, operator):
    return populate(organization, operator)


@pytest.fixture
def export(world, operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made, _ = services.export_request(actor=operator, organization=world.organization)
    made.refresh_from_db()
    return made


@pytest.fixture
def files(export):
    return read_zip(stored(export))


def test_every_domain_model_is_exported_or_left_out_on_purpose():
    assert unclassified_models() == []


def test_the_zip_holds_one_csv_per_table_and_the_ledger_columns_and_readme(files):
    expected = {table.filename for table in organization_tables()} | {"ledger.csv", "columns.csv", "README.txt"}
    assert set(files) == expected
    assert {"houses.csv", "rooms.csv", "beds.csv", "residents.csv", "stays.csv", "bed_assignments.csv",
            "ledger_entries.csv", "payments.csv", "drug_tests.csv", "drug_test_substances.csv", "incidents.csv",
            "incidents_residents.csv", "resident_notes.csv", "memberships.csv", "audit_entries.csv",
            "month_closes.csv", "reports.csv", "documents.csv", "inspections.csv", "house_listings.csv",
            "referral_partners.csv", "referrals.csv", "waitlist_offers.csv"} <= expected  # fmt: skip


def test_each_table_has_the_models_columns(files):
    assert files["stays.csv"][0] == [
        "id", "organization_id", "resident_id", "house_id", "admitted_to_id", "move_in", "move_out",
        "expected_move_out", "discharge_reason", "discharge_note", "admitted_by_id", "discharged_by_id", "created_at",
    ]  # fmt: skip


def test_a_referral_partners_private_link_is_never_exported(files):
    assert "link_token" not in files["referral_partners.csv"][0]


def test_columns_csv_documents_every_column_of_every_file(files):
    documented = {(row[0], row[1]) for row in files["columns.csv"][1:]}
    for name, rows in files.items():
        if name.endswith(".csv") and name != "columns.csv":
            assert {(name, column) for column in rows[0]} <= documented, name
    meanings = {(row[0], row[1]): row[3] for row in files["columns.csv"][1:]}
    assert "Signed: above zero adds to what the resident owes" in meanings[("ledger_entries.csv", "amount")]
    assert "Values: negative = Negative" in meanings[("drug_tests.csv", "result")]


def test_the_rows_are_the_organizations(world, files):
    residents = as_dicts(files["residents.csv"])
    ids = {str(pk) for pk in Resident.objects.filter(organization=world.organization).values_list("pk", flat=True)}
    assert {r["id"] for r in residents} == ids
    assert {"Acosta", "Baptiste"} <= {r["legal_last_name"] for r in residents}
    assert len(as_dicts(files["incidents_residents.csv"])) == 2
    assert {row["substance"] for row in as_dicts(files["drug_test_substances.csv"]) if row["positive"] == "true"} == {
        "thc"
    }


def test_no_secret_is_written(files, world):
    everything = "\n".join(str(content) for content in files.values())
    assert "pbkdf2_sha256$" not in everything
    assert "password" not in set(files["memberships.csv"][0])
    assert "payload" not in files["stripe_events.csv"][0]
    assert "checkout_url" not in files["online_payments.csv"][0]
    assert "accounts.apitoken" in files["README.txt"]


def test_a_text_cell_that_looks_like_a_formula_is_quoted(files):
    memos = {row["memo"] for row in as_dicts(files["ledger_entries.csv"])}
    assert "'=Broken lamp" in memos
    assert "=Broken lamp" not in memos


def test_the_ledger_opens_as_csv_and_its_running_balances_reconcile(world, files):
    rows = as_dicts(files["ledger.csv"])
    assert list(rows[0]) == ["date", "resident", "resident_id", "house", "kind", "description", "debit", "credit",
                             "balance", "currency", "entry_id"]  # fmt: skip
    assert len(rows) == LedgerEntry.objects.filter(organization=world.organization).count()
    balances = {}
    for row in rows:
        debit = Decimal(row["debit"] or "0")
        credit = Decimal(row["credit"] or "0")
        balances[row["resident_id"]] = balances.get(row["resident_id"], Decimal("0")) + debit - credit
        assert Decimal(row["balance"]) == balances[row["resident_id"]]
        assert row["currency"] == "USD"
    for resident in (world.member, world.other):
        total = sum(e.amount for e in LedgerEntry.objects.filter(resident=resident))
        assert balances[str(resident.pk)] == total == Decimal("90.00")


def test_the_ledger_names_residents_and_houses_with_their_accents(organization, operator):
    populate(organization, operator, first=("José", "Núñez"), house_name="Casa Peñón")
    export = services.command_export(organization=organization)
    rows = as_dicts(read_zip(stored(export))["ledger.csv"])
    assert {"Núñez, José"} <= {row["resident"] for row in rows}
    assert {row["house"] for row in rows} == {"Casa Peñón"}


def test_progress_moves_to_done_with_the_files_hash(export):
    assert export.status == DataExport.Status.DONE
    assert export.progress_done == export.progress_total == len(organization_tables()) + 2
    data = stored(export)
    assert export.sha256 == hashlib.sha256(data).hexdigest()
    assert export.size == len(data)
    assert export.finished_at is not None


def test_a_queued_export_waits_with_its_progress_at_zero(world, operator):
    export, created = services.export_request(actor=operator, organization=world.organization)
    assert created
    assert (export.status, export.progress_done, export.progress_total) == ("queued", 0, len(organization_tables()) + 2)


def test_asking_again_while_one_is_queued_returns_it(world, operator):
    first, _ = services.export_request(actor=operator, organization=world.organization)
    second, created = services.export_request(actor=operator, organization=world.organization)
    assert second == first
    assert not created


def test_running_the_job_twice_writes_once(export):
    again = services.export_generate(export_id=export.pk)
    assert again.sha256 == export.sha256
    assert again.file.name == export.file.name


def test_a_failure_is_recorded_on_the_export(world, operator, monkeypatch):
    export, _ = services.export_request(actor=operator, organization=world.organization)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("exports.organization.write_organization", broken)
    with pytest.raises(RuntimeError):
        services.export_generate(export_id=export.pk)
    export.refresh_from_db()
    assert (export.status, export.error) == ("failed", "disk full")


def test_a_reversal_in_the_ledger_says_what_it_reverses(files, world):
    rows = as_dicts(files["ledger.csv"])
    reversal = next(row for row in rows if row["kind"] == "Reversal" and row["resident_id"] == str(world.member.pk))
    assert reversal["description"] == "Waived (reverses the fine of 2026-02-03)"
    assert reversal["credit"] == "20.00"
