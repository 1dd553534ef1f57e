"""A resident's own record names no other resident anywhere: every free-text column (staff notes, incident accounts,
grievances, drug-test notes, ledger memos) has the organization's other residents' names, phones and e-mails taken
out, whether or not they are linked to the row; the resident's own name and staff names stay."""

from datetime import date

import pytest

from billing.services import ledger as ledger_services
from exports import services
from exports.redact import OTHER_RESIDENT, Redactor
from residents.conduct.services import grievances as grievance_services
from residents.conduct.services import incidents as incident_services
from tests.clock import module_clock
from tests.factories import HouseFactory, ResidentFactory, admit
from tests.residents.drug_tests_factories import record_incident, record_test

from .helpers import as_dicts, read_zip, stored
from .world import NOW, populate

_clock = module_clock(NOW)


@pytest.fixture
def ours(organization, operator):
    return populate(organization, operator)


@pytest.fixture
def carmen(ours):
    """A resident of another house of the organization, linked to nothing of Ana's."""
    house = HouseFactory(organization=ours.organization, name="Juniper House", beds=2)
    stay = admit(house, on=date(2026, 1, 12), actor=ours.operator, legal_first_name="Carmen", legal_last_name="Diaz",
                 phone="(312) 555-0199", email="carmen.d@example.net")  # fmt: skip
    return stay.resident


def _record(world):
    export, _ = services.resident_export_request(actor=world.member.membership)
    return read_zip(stored(services.export_generate(export_id=export.pk)))


def _note(world, body):
    incident_services.resident_note_add(actor=world.operator, resident=world.member, body=body)
    return [row["note"] for row in as_dicts(_record(world)["notes.csv"])]


def test_a_note_naming_another_resident_by_full_name_does_not_name_them(ours, carmen):
    notes = _note(ours, "Ana drove Carmen Diaz to her appointment.")
    assert f"Ana drove {OTHER_RESIDENT} to her appointment." in notes


def test_a_note_naming_another_resident_by_first_name_in_any_case_does_not_name_them(ours, carmen):
    notes = _note(ours, "Ana and CARMEN share a car; carmen pays for gas.")
    assert f"Ana and {OTHER_RESIDENT} share a car; {OTHER_RESIDENT} pays for gas." in notes


def test_a_phone_number_of_another_resident_is_taken_out_however_it_is_written(ours, carmen):
    notes = _note(ours, "Reach her through 312.555.0199 or +1 312 555 0199, not 555-0100.")
    assert f"Reach her through {OTHER_RESIDENT} or {OTHER_RESIDENT}, not 555-0100." in notes


def test_an_email_of_another_resident_is_taken_out(ours, carmen):
    notes = _note(ours, "Copied Carmen.D@example.net on the ride schedule.")
    assert f"Copied {OTHER_RESIDENT} on the ride schedule." in notes


def test_an_incident_witness_who_is_not_linked_to_it_is_not_named(ours, carmen):
    record_incident(ours.operator, ours.house, on=date(2026, 2, 20), residents=[ours.member],
                    what_happened="Carmen Diaz saw Ana come in late; Diaz called staff.")  # fmt: skip
    accounts = [row["what_happened"] for row in as_dicts(_record(ours)["incidents.csv"])]
    assert f"{OTHER_RESIDENT} saw Ana come in late; {OTHER_RESIDENT} called staff." in accounts


def test_a_grievance_about_another_resident_names_them_nowhere(ours, carmen):
    grievance_services.grievance_file(
        actor=ours.member.membership, subject="Carmen takes my food", about="other",
        details="Carmen Diaz keeps taking food from my shelf. Bruno saw it.",
    )  # fmt: skip
    (grievance,) = [row for row in as_dicts(_record(ours)["grievances.csv"]) if row["about"] == "other"]
    assert grievance["subject"] == f"{OTHER_RESIDENT} takes my food"
    assert grievance["details"] == f"{OTHER_RESIDENT} keeps taking food from my shelf. {OTHER_RESIDENT} saw it."


def test_a_drug_test_note_naming_another_resident_does_not_name_them(ours, carmen):
    record_test(ours.operator, ours.member, on=date(2026, 2, 21), notes="Observed by Bruno; takes diazepam.")
    notes = {row["notes"] for row in as_dicts(_record(ours)["drug_tests.csv"])}
    # A whole word only: the medicine is not a resident's name.
    assert f"Observed by {OTHER_RESIDENT}; takes diazepam." in notes


def test_a_ledger_memo_naming_another_resident_does_not_name_them(ours, carmen):
    ledger_services.charge_post(actor=ours.operator, resident=ours.member, kind="other", amount="12.00",
                                memo="Half of Carmen's broken lamp", effective_on=date(2026, 2, 22))  # fmt: skip
    memos = {row["description"] for row in as_dicts(_record(ours)["ledger.csv"])}
    assert f"Half of {OTHER_RESIDENT}'s broken lamp" in memos


def test_the_residents_own_name_stays_when_another_resident_shares_it(ours):
    ResidentFactory(organization=ours.organization, legal_first_name="Ana", legal_last_name="Zamora")
    notes = _note(ours, "Ana Acosta and Ana Zamora are roommates; Zamora snores, says Ana.")
    assert f"Ana Acosta and {OTHER_RESIDENT} are roommates; {OTHER_RESIDENT} snores, says Ana." in notes


def test_staff_names_are_kept_in_the_note_and_its_author(ours):
    staff = ours.operator.user.get_full_name()
    incident_services.resident_note_add(actor=ours.operator, resident=ours.member, body=f"Met {staff} today.")
    rows = as_dicts(_record(ours)["notes.csv"])
    assert {row["note"] for row in rows} >= {f"Met {staff} today."}
    assert {row["author"] for row in rows} == {staff}


def test_the_residents_own_profile_keeps_their_own_details(ours):
    (profile,) = as_dicts(_record(ours)["profile.csv"])
    assert (profile["legal_first_name"], profile["legal_last_name"]) == ("Ana", "Acosta")
    assert profile["account_email"] == "ana@example.org"


def test_the_redactor_matches_whole_words_and_whole_numbers_only():
    redact = Redactor()
    redact.add("other", first="Lee", last="Park", phones=["312-555-0142"], emails=["lee@example.org"])
    assert redact("Leeway, LEE's cat.") == f"Leeway, {OTHER_RESIDENT}'s cat."
    assert redact("Call (312) 555-0142 x2") == f"Call {OTHER_RESIDENT} x2"
    assert redact("Order 3125550142000") == "Order 3125550142000"
