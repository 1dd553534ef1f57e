"""A resident's own record (their right of access): every file is read through the resident, so no row of another
resident can reach it, and every free-text cell (staff notes, incident accounts, grievances, drug-test notes...) has
the organization's other residents taken out (``exports.redact``): their names, phones and e-mails read
``[another resident]``. Staff notes about the resident are part of their record and are otherwise included as
written; staff names are kept (staff act in their role)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from billing.models import LedgerEntry, OnlinePayment, OnlineRefund, Payment
from residents.models import (
    Application,
    BedAssignment,
    ChoreAssignment,
    DrugTest,
    DrugTestSubstance,
    Grievance,
    HouseMeeting,
    Incident,
    OvernightPass,
    PhaseChange,
    RecoveryMeetingAttendance,
    Resident,
    ResidentNote,
    RuleAcknowledgement,
    SignOut,
    Stay,
)

from .organization import LEDGER_COLUMNS, LEDGER_HEADER, LEDGER_VALUES, checked_ledger, ledger_rows
from .redact import OTHER_RESIDENT, Redactor, redactor_for
from .writer import ZipOfCSV, owned_rows


@dataclass(frozen=True)
class RecordFile:
    filename: str
    model: type[models.Model]
    owner: str  # lookup from a row to the resident's id
    columns: tuple[tuple[str, str, str], ...]  # (column, lookup, meaning)
    description: str


def _c(*triples) -> tuple[tuple[str, str, str], ...]:
    return tuple(triples)


RECORD_FILES = (
    RecordFile("profile.csv", Resident, "id", _c(
        ("id", "id", "Your resident number"),
        ("legal_first_name", "legal_first_name", "Legal first name"),
        ("legal_last_name", "legal_last_name", "Legal last name"),
        ("preferred_name", "preferred_name", "The name you go by"),
        ("date_of_birth", "date_of_birth", "Date of birth"),
        ("phone", "phone", "Phone"),
        ("email", "email", "E-mail on your resident record"),
        ("account_email", "membership__user__email", "E-mail you sign in with"),
        ("emergency_contact_name", "emergency_contact_name", "Emergency contact"),
        ("emergency_contact_phone", "emergency_contact_phone", "Emergency contact's phone"),
        ("emergency_contact_relationship", "emergency_contact_relationship", "Emergency contact's relationship"),
        ("sobriety_date", "sobriety_date", "Sobriety date"),
        ("referral_source", "referral_source", "Who referred you"),
        ("payer", "payer", "Who pays your rent"),
        ("payer_name", "payer_name", "The payer's name"),
        ("created_at", "created_at", "When your record was made (UTC)"),
    ), "Your profile"),
    RecordFile("stays.csv", Stay, "resident_id", _c(
        ("stay_id", "id", "The stay's number (bed and ledger lines name it)"),
        ("house", "house__name", "House"),
        ("move_in", "move_in", "Moved in"),
        ("move_out", "move_out", "Moved out (empty while you live there)"),
        ("discharge_reason", "discharge_reason", "Why the stay ended"),
        ("discharge_note", "discharge_note", "Note on the discharge"),
    ), "Your stays, admission to discharge"),
    RecordFile("beds.csv", BedAssignment, "stay__resident_id", _c(
        ("stay_id", "stay_id", "The stay (stays.csv)"),
        ("house", "bed__house__name", "House"),
        ("room", "bed__room__name", "Room"),
        ("bed", "bed__label", "Bed"),
        ("start", "start", "First night in the bed"),
        ("end", "end", "First night no longer in the bed (empty while there)"),
    ), "The beds you slept in"),
    RecordFile("receipts.csv", Payment, "resident_id", _c(
        ("receipt_number", "receipt_number", "Receipt number"),
        ("received_on", "received_on", "Received on"),
        ("house", "house__name", "House"),
        ("method", "method", "Cash, check, money order, online"),
        ("status", "status", "Status"),
        ("amount", "amount", "Amount"),
        ("reference", "reference", "Check or money order number"),
        ("payer_name", "payer_name", "Who paid"),
        ("memo", "memo", "Memo"),
    ), "Your payments and their receipts"),
    RecordFile("online_payments.csv", OnlinePayment, "resident_id", _c(
        ("started_at", "created_at", "When the payment was started (UTC)"),
        ("amount", "amount", "Amount"),
        ("currency", "currency", "Currency"),
        ("status", "status", "Status"),
        ("method", "payment_method_type", "Card, bank account"),
        ("amount_refunded", "amount_refunded", "Refunded so far"),
        ("due_on", "due_on", "For rent due on (autopay)"),
    ), "Your online payments"),
    RecordFile("online_refunds.csv", OnlineRefund, "resident_id", _c(
        ("asked_at", "created_at", "When the refund was made (UTC)"),
        ("amount", "amount", "Amount"),
        ("reason", "reason", "Why"),
        ("status", "status", "Status"),
    ), "Refunds of your online payments"),
    RecordFile("drug_tests.csv", DrugTest, "resident_id", _c(
        ("test_id", "id", "The test's number (drug_test_substances.csv names it)"),
        ("collected_at", "collected_at", "When the sample was taken (UTC)"),
        ("house", "house__name", "House"),
        ("method", "method", "Urine cup, lab, breath, saliva"),
        ("reason", "reason", "Random, scheduled, for cause, on return"),
        ("result", "result", "Result"),
        ("lab_reference", "lab_reference", "Lab reference"),
        ("notes", "notes", "Notes"),
        ("result_recorded_at", "result_recorded_at", "When the result was recorded (UTC)"),
    ), "Your drug tests"),
    RecordFile("drug_test_substances.csv", DrugTestSubstance, "test__resident_id", _c(
        ("test_id", "test_id", "The test (drug_tests.csv)"),
        ("substance", "substance", "Substance tested for"),
        ("positive", "positive", "true when found"),
    ), "The substances of your drug tests"),
    RecordFile("incidents.csv", Incident.residents.through, "resident_id", _c(
        ("incident_id", "incident_id", "The incident's number"),
        ("occurred_at", "incident__occurred_at", "When it happened (UTC)"),
        ("house", "incident__house__name", "House"),
        ("category", "incident__category", "Category"),
        ("severity", "incident__severity", "Severity"),
        ("rule", "incident__rule_reference", "The house rule broken, if any"),
        ("what_happened", "incident__what_happened", f"What happened (other residents named as {OTHER_RESIDENT})"),
        ("consequence", "incident__action", "The consequence"),
        ("fine_amount", "incident__fine_amount", "Fine, per resident involved"),
        ("follow_up_on", "incident__follow_up_on", "Follow-up date"),
    ), "Incidents you were involved in"),
    RecordFile("notes.csv", ResidentNote, "resident_id", _c(
        ("written_at", "created_at", "When the note was written (UTC)"),
        ("house", "house__name", "House"),
        ("author", "author__full_name", "Staff member who wrote it"),
        ("note", "body", f"The note, as written (other residents named as {OTHER_RESIDENT})"),
    ), "Staff notes about you (part of your record)"),
    RecordFile("rule_acknowledgements.csv", RuleAcknowledgement, "resident_id", _c(
        ("house", "rule_set__house__name", "House (empty for the organization's rules)"),
        ("rules_version", "rule_set__number", "Version of the house rules"),
        ("signature", "signature", "Your signature"),
        ("signed_at", "signed_at", "When you signed (UTC)"),
    ), "House rules you signed"),
    RecordFile("chores.csv", ChoreAssignment, "resident_id", _c(
        ("chore", "chore__name", "Chore"),
        ("house", "house__name", "House"),
        ("due_date", "due_date", "Due"),
        ("status", "status", "Assigned, done, missed, excused"),
        ("note", "note", "Note"),
        ("marked_at", "marked_at", "When it was marked (UTC)"),
    ), "Your chores"),
    RecordFile("sign_outs.csv", SignOut, "stay__resident_id", _c(
        ("house", "house__name", "House"),
        ("destination", "destination", "Where to"),
        ("signed_out_at", "signed_out_at", "Signed out (UTC)"),
        ("expected_return_at", "expected_return_at", "Expected back (UTC)"),
        ("signed_in_at", "signed_in_at", "Signed back in (UTC)"),
    ), "Your sign-outs"),
    RecordFile("overnight_passes.csv", OvernightPass, "resident_id", _c(
        ("leave_on", "leave_on", "Leaving"),
        ("return_on", "return_on", "Returning"),
        ("destination", "destination", "Where"),
        ("contact_phone", "contact_phone", "Phone there"),
        ("status", "status", "Status"),
        ("decision_reason", "decision_reason", "Why it was decided so"),
        ("returned_at", "returned_at", "Back at (UTC)"),
    ), "Your overnight passes"),
    RecordFile("phase_history.csv", PhaseChange, "stay__resident_id", _c(
        ("effective_on", "effective_on", "From"),
        ("phase", "phase__name", "Phase"),
        ("change", "kind", "Start, promotion, demotion"),
        ("reason", "reason", "Why"),
    ), "Your program phases"),
    RecordFile("applications.csv", Application, "resident_id", _c(
        ("applied_on", "applied_on", "Applied on"),
        ("first_name", "first_name", "First name"),
        ("last_name", "last_name", "Last name"),
        ("preferred_name", "preferred_name", "Preferred name"),
        ("date_of_birth", "date_of_birth", "Date of birth"),
        ("phone", "phone", "Phone"),
        ("email", "email", "E-mail"),
        ("preferred_house", "preferred_house__name", "House asked for"),
        ("referral_source", "referral_source", "Referred by"),
        ("sobriety_date", "sobriety_date", "Sobriety date"),
        ("notes", "notes", "Notes"),
        ("status", "status", "Status"),
    ), "Your applications"),
    RecordFile("grievances.csv", Grievance, "resident_id", _c(
        ("filed_at", "filed_at", "Filed (UTC)"),
        ("house", "house__name", "House"),
        ("subject", "subject", "Subject"),
        ("details", "details", "Details"),
        ("about", "about", "About"),
        ("status", "status", "Status"),
        ("response", "response", "The answer"),
        ("responded_at", "responded_at", "Answered (UTC)"),
        ("closed_at", "closed_at", "Closed (UTC)"),
    ), "Grievances you filed"),
    RecordFile("recovery_meetings.csv", RecoveryMeetingAttendance, "resident_id", _c(
        ("attended_on", "attended_on", "Date"),
        ("meeting_type", "meeting_type", "Kind of meeting"),
        ("name", "name", "Meeting"),
        ("verified_at", "verified_at", "Verified by staff (UTC)"),
    ), "Recovery meetings you attended"),
    RecordFile("house_meetings.csv", HouseMeeting.attendees.through, "resident_id", _c(
        ("held_at", "housemeeting__held_at", "When (UTC)"),
        ("house", "housemeeting__house__name", "House"),
        ("facilitator", "housemeeting__facilitator_name", "Who led it, when not staff"),
    ), "House meetings you attended"),
)  # fmt: skip

LEDGER_DESCRIPTION = "Your ledger: charges and payments, with your running balance"
TEXT = (models.CharField, models.TextField)


def file_count() -> int:
    return len(RECORD_FILES) + 2  # and ledger.csv, columns.csv


def _field(model, lookup: str):
    parts = lookup.split("__")
    for part in parts[:-1]:
        model = model._meta.get_field(part).related_model
    return model._meta.get_field(parts[-1])


def _texts(record: RecordFile) -> list[str]:
    return [lookup for _, lookup, _ in record.columns if isinstance(_field(record.model, lookup), TEXT)]


# Text columns that are labels the organization set (places, chores, phases) or a staff member's name, not prose
# anyone wrote about a person: they are not searched for other residents.
LABELS = ("house__name", "room__name", "bed__label", "chore__name", "phase__name", "author__full_name")


def _free_text(record: RecordFile) -> list[int]:
    """Positions of the record's free-text columns: text without fixed choices, other than labels."""
    positions = []
    for at, (_, lookup, _) in enumerate(record.columns):
        field = _field(record.model, lookup)
        if isinstance(field, TEXT) and not field.choices and not lookup.endswith(LABELS):
            positions.append(at)
    return positions


def _redacted(rows, positions: list[int], redact: Redactor):
    for row in rows:
        for at in positions:
            row[at] = redact(row[at])
        yield row


def _rows(record: RecordFile, resident: Resident, redact: Redactor):
    queryset = record.model._base_manager.filter(**{record.owner: resident.pk})
    rows = owned_rows(
        queryset, [lookup for _, lookup, _ in record.columns], owner_lookup=record.owner, owner_id=resident.pk,
        texts=_texts(record),
    )  # fmt: skip
    return _redacted(rows, _free_text(record), redact)


def _ledger(resident: Resident):
    entries = (
        LedgerEntry.objects.filter(resident=resident)
        .order_by("effective_on", "id")
        .values(*LEDGER_VALUES)
        .iterator(chunk_size=2000)
    )
    return ledger_rows(checked_ledger(entries, "resident_id", resident.pk), currency=resident.organization.currency)


def _columns_rows():
    for record in RECORD_FILES:
        for column, _, meaning in record.columns:
            yield [record.filename, column, meaning]
    for column, meaning in LEDGER_COLUMNS.items():
        if column not in ("resident_id", "entry_id"):
            yield ["ledger.csv", column, meaning]


def _readme(resident: Resident, rows: dict[str, int], *, stamp) -> str:
    lines = [
        f"Your record at {resident.organization.name}",
        f"Written {stamp:%Y-%m-%d %H:%M} UTC for {resident.legal_first_name} {resident.legal_last_name}.",
        "",
        "This is everything the organization keeps about you in Hearth, as CSV files (UTF-8, open them in any",
        "spreadsheet program). columns.csv says what every column means. Times are UTC; dates are YYYY-MM-DD.",
        "Staff notes about you are part of your record and are included as written, except that other residents are",
        f"never named: wherever any text names another resident (or their phone or e-mail) it reads {OTHER_RESIDENT}.",
        "An incident that involved other residents shows your part only.",
        "",
        "Files and rows:",
    ]
    for record in RECORD_FILES:
        lines.append(f"- {record.filename} ({rows.get(record.filename, 0)} rows): {record.description}")
    lines.append(f"- ledger.csv ({rows.get('ledger.csv', 0)} rows): {LEDGER_DESCRIPTION}")
    lines.append("- columns.csv: what every column means")
    return "\n".join(lines) + "\n"


def write_resident(zip_file: ZipOfCSV, resident: Resident, *, stamp, progress: Callable[[int], None]) -> None:
    redact = redactor_for(resident)
    done = 0
    for record in RECORD_FILES:
        zip_file.write(record.filename, [column for column, _, _ in record.columns], _rows(record, resident, redact))
        done += 1
        progress(done)
    ledger_header = [name for name in LEDGER_HEADER if name not in ("resident_id", "entry_id")]
    dropped = [LEDGER_HEADER.index("resident_id"), LEDGER_HEADER.index("entry_id")]
    # A ledger memo is free text too ("paid by ...").
    memo = [LEDGER_HEADER.index("description")]
    ledger = _redacted(_ledger(resident), memo, redact)
    zip_file.write(
        "ledger.csv", ledger_header, ([value for i, value in enumerate(row) if i not in dropped] for row in ledger)
    )
    done += 1
    progress(done)
    zip_file.write("columns.csv", ["file", "column", "meaning"], _columns_rows())
    progress(done + 1)
    zip_file.write_text("README.txt", _readme(resident, zip_file.rows, stamp=stamp))
