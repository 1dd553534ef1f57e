"""An export of one organization never holds another's rows, and a resident's record never holds another resident's:
both built with the same shapes, then every cell of every file searched for the other's names and ids."""

import pytest

from accounts.models import Membership
from exports import services
from exports.models import DataExport
from exports.resident import OTHER_RESIDENT
from exports.tables import organization_tables
from exports.writer import ExportLeak, owned_rows
from houses.models import House
from residents.models import DrugTest, Incident, Resident, Stay
from tests.clock import module_clock

from .helpers import as_dicts, read_zip, stored
from .world import NOW, populate

_clock = module_clock(NOW)


@pytest.fixture
def ours(organization, operator):
    return populate(organization, operator)


@pytest.fixture
def theirs(other_organization, outsider):
    return populate(
        other_organization, outsider, first=("Carla", "Delacroix"), second=("Dmitri", "Eastwood"),
        house_name="Birch House",
    )  # fmt: skip


def _cells(files):
    for name, rows in files.items():
        if isinstance(rows, str):
            continue  # README.txt: words about the files (the other's slug here is a plain English word)
        for row in rows:
            for value in row:
                yield name, value


def _words(world) -> list[str]:
    emails = Membership.objects.filter(organization=world.organization).values_list("user__email", flat=True)
    return [word.lower() for word in [*world.names, *emails]]


def test_an_organizations_export_names_nothing_of_another(ours, theirs, operator):
    files = read_zip(stored(services.command_export(organization=ours.organization)))
    words = _words(theirs)
    found = [(name, value) for name, value in _cells(files) if any(word in value.lower() for word in words)]
    assert found == []
    assert theirs.organization.name not in files["README.txt"]


def test_an_organizations_export_holds_no_id_of_anothers_rows(ours, theirs):
    files = read_zip(stored(services.command_export(organization=ours.organization)))
    leaked = []
    for table in organization_tables():
        rows = as_dicts(files[table.filename])
        for column in table.columns:
            target = table.model if column.name == "id" else column.field.related_model
            if target is None or (column.name != "id" and not column.field.is_relation):
                continue
            owner = next((t.owner for t in organization_tables() if t.model is target), None)
            if owner is None:
                continue  # a user account: not an organization's row (memberships.csv is checked by name)
            foreign = {str(pk) for pk in target._base_manager.filter(**{owner: theirs.organization.pk}).values_list(
                "pk", flat=True)}  # fmt: skip
            leaked += [(table.filename, column.name, row[column.name]) for row in rows if row[column.name] in foreign]
    assert leaked == []


def test_a_row_of_another_organization_stops_the_export(ours, theirs):
    # The organization filter is bypassed on purpose: the check on each written row must catch it.
    everyone = House.objects.filter(organization__in=[ours.organization, theirs.organization])
    with pytest.raises(ExportLeak):
        list(owned_rows(everyone, ["id", "name"], owner_lookup="organization_id", owner_id=ours.organization.pk))


def test_each_export_counts_only_its_organizations_rows(ours, theirs):
    files = read_zip(stored(services.command_export(organization=ours.organization)))
    assert len(as_dicts(files["houses.csv"])) == House.objects.filter(organization=ours.organization).count()
    assert {row["organization_id"] for row in as_dicts(files["incidents.csv"])} == {str(ours.organization.pk)}


def _record(member: Resident):
    export, _ = services.resident_export_request(actor=member.membership)
    return read_zip(stored(services.export_generate(export_id=export.pk)))


def test_a_residents_record_names_no_other_resident(ours, theirs):
    files = _record(ours.member)
    words = [w.lower() for w in ("Bruno", "Baptiste", "bruno@example.org", *theirs.names)]
    found = [(name, value) for name, value in _cells(files) if any(word in value.lower() for word in words)]
    assert found == []


def test_a_shared_incident_shows_only_the_residents_part(ours):
    files = _record(ours.member)
    (incident,) = as_dicts(files["incidents.csv"])
    assert incident["what_happened"] == f"Ana and {OTHER_RESIDENT} argued in the kitchen."
    assert Incident.objects.get(pk=incident["incident_id"]).residents.count() == 2


def test_a_residents_record_holds_only_their_own_rows(ours):
    files = _record(ours.member)
    assert {row["stay_id"] for row in as_dicts(files["stays.csv"])} == {
        str(pk) for pk in Stay.objects.filter(resident=ours.member).values_list("pk", flat=True)
    }
    assert {row["test_id"] for row in as_dicts(files["drug_tests.csv"])} == {
        str(pk) for pk in DrugTest.objects.filter(resident=ours.member).values_list("pk", flat=True)
    }
    assert {row["id"] for row in as_dicts(files["profile.csv"])} == {str(ours.member.pk)}


def test_a_residents_record_holds_every_part_of_it(ours):
    files = _record(ours.member)
    for name in ("profile.csv", "stays.csv", "beds.csv", "ledger.csv", "receipts.csv", "drug_tests.csv",
                 "drug_test_substances.csv", "incidents.csv", "notes.csv", "rule_acknowledgements.csv", "chores.csv",
                 "sign_outs.csv", "phase_history.csv", "grievances.csv", "recovery_meetings.csv",
                 "house_meetings.csv"):  # fmt: skip
        assert len(files[name]) > 1, f"{name} is empty"
    assert {"applications.csv", "overnight_passes.csv", "online_payments.csv", "columns.csv", "README.txt"} <= set(
        files
    )
    (bed,) = as_dicts(files["beds.csv"])
    assert bed["house"] == "Cedar House"
    assert "Staff notes about you are part of your record" in files["README.txt"]


def test_a_residents_ledger_reconciles(ours):
    rows = as_dicts(_record(ours.member)["ledger.csv"])
    assert [row["balance"] for row in rows][-1] == "90.00"
    assert {row["resident"] for row in rows} == {"Acosta, Ana"}


def test_staff_cannot_ask_for_a_residents_record(ours, operator):
    from accounts.exceptions import NotAllowed

    with pytest.raises(NotAllowed):
        services.resident_export_request(actor=operator)
    assert not DataExport.objects.exists()
