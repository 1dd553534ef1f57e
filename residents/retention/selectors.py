"""What the retention policy makes due for archiving, and what is archived (see the package's docstring)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.audit import audited
from accounts.models import Membership, Organization
from residents.models import DrugTest, Incident, Resident, ResidentNote, Stay

IncidentResident = Incident.residents.through


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier; February 29 becomes February 28 in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def years_after(day: date, years: int) -> date:
    """The same calendar day ``years`` later; February 29 becomes March 1 in a common year (never early)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def residents_past_retention(*, organization: Organization, today: date | None = None) -> QuerySet[Resident]:
    """Residents of ``organization`` with no open stay whose last move-out is at least the kept years before
    ``today`` (default: the organization's today), each with ``discharged_on``. None when nothing is kept for a set
    time (the setting is empty)."""
    years = organization.sensitive_records_kept_years
    if not years:
        return Resident.objects.none()
    today = today or organization.today()
    open_stay = Stay.objects.filter(resident=OuterRef("pk"), move_out__isnull=True)
    return (
        Resident.objects.filter(organization=organization)
        .exclude(Exists(open_stay))
        .annotate(discharged_on=Max("stays__move_out"))
        .filter(discharged_on__lte=years_before(today, years))
    )


@dataclass
class DueResident:
    resident: Resident
    discharged_on: date
    due_since: date
    drug_tests: int = 0
    incidents: int = 0
    notes: int = 0


@dataclass
class Due:
    """Records due for archiving: ids by kind, and the same counted per resident (an incident involving two residents
    counts for each of them, and once in ``incident_ids``)."""

    years: int | None
    drug_test_ids: list[int] = field(default_factory=list)
    incident_ids: list[int] = field(default_factory=list)
    note_ids: list[int] = field(default_factory=list)
    residents: list[DueResident] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.drug_test_ids) + len(self.incident_ids) + len(self.note_ids)


def due_for_archiving(*, organization: Organization, today: date | None = None) -> Due:
    """The organization's unarchived drug tests, incidents and notes that the policy makes due (four queries,
    whatever their number), with the residents they are about, by last name. Nothing when the setting is empty."""
    due = Due(years=organization.sensitive_records_kept_years)
    past = residents_past_retention(organization=organization, today=today)
    if not due.years:
        return due
    residents = {resident.pk: resident for resident in past.order_by("legal_last_name", "legal_first_name", "pk")}
    if not residents:
        return due
    qualifying = past.values("pk")
    per_resident: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    tests = DrugTest.objects.filter(organization=organization, archived_at__isnull=True, resident__in=qualifying)
    for pk, resident_id in tests.values_list("pk", "resident_id").order_by("pk"):
        due.drug_test_ids.append(pk)
        per_resident[resident_id]["drug_tests"] += 1
    notes = ResidentNote.objects.filter(organization=organization, archived_at__isnull=True, resident__in=qualifying)
    for pk, resident_id in notes.values_list("pk", "resident_id").order_by("pk"):
        due.note_ids.append(pk)
        per_resident[resident_id]["notes"] += 1

    # Every resident of each unarchived incident that involves a qualifying resident: the incident is due only when
    # all of them qualify.
    touched = IncidentResident.objects.filter(resident__in=qualifying).values("incident_id")
    links = IncidentResident.objects.filter(
        incident__organization=organization, incident__archived_at__isnull=True, incident_id__in=touched
    )
    involved: dict[int, list[int]] = defaultdict(list)
    for incident_id, resident_id in links.values_list("incident_id", "resident_id").order_by("incident_id"):
        involved[incident_id].append(resident_id)
    for incident_id, resident_ids in involved.items():
        if all(resident_id in residents for resident_id in resident_ids):
            due.incident_ids.append(incident_id)
            for resident_id in resident_ids:
                per_resident[resident_id]["incidents"] += 1

    for pk, resident in residents.items():
        counts = per_resident.get(pk)
        if counts:
            due.residents.append(
                DueResident(
                    resident=resident,
                    discharged_on=resident.discharged_on,
                    due_since=years_after(resident.discharged_on, due.years),
                    **counts,
                )
            )
    return due


@dataclass
class ArchivedResident:
    resident: Resident
    drug_tests: int = 0
    incidents: int = 0
    notes: int = 0
    last_archived_at: object = None


def archive_by_resident(*, viewer: Membership) -> list[ArchivedResident]:
    """Residents of the viewer's organization (operators only) with archived records, and how many of each kind, by
    last name (four queries). Counts only: the records themselves are read on ``archived_records``."""
    if not viewer.is_operator:
        return []
    organization_id = viewer.organization_id
    rows: dict[int, ArchivedResident] = {}

    def add(resident_id, kind, count, last):
        row = rows.setdefault(resident_id, ArchivedResident(resident=None))
        setattr(row, kind, count)
        if row.last_archived_at is None or last > row.last_archived_at:
            row.last_archived_at = last

    for model, kind in ((DrugTest, "drug_tests"), (ResidentNote, "notes")):
        archived = model.objects.filter(organization_id=organization_id).archived()
        for row in archived.values("resident_id").annotate(n=Count("pk"), last=Max("archived_at")).order_by():
            add(row["resident_id"], kind, row["n"], row["last"])
    links = IncidentResident.objects.filter(
        incident__organization_id=organization_id, incident__archived_at__isnull=False
    )
    for row in links.values("resident_id").annotate(n=Count("pk"), last=Max("incident__archived_at")).order_by():
        add(row["resident_id"], "incidents", row["n"], row["last"])
    residents = Resident.objects.filter(organization_id=organization_id, pk__in=list(rows))
    for resident in residents:
        rows[resident.pk].resident = resident
    return sorted(
        (row for row in rows.values() if row.resident is not None),
        key=lambda row: (row.resident.legal_last_name, row.resident.legal_first_name, row.resident.pk),
    )


def archived_resident(*, viewer: Membership, resident_id: int) -> Resident | None:
    """A resident of the viewer's organization, for an operator; None otherwise (a 404 to the caller)."""
    if not viewer.is_operator:
        return None
    return Resident.objects.filter(organization_id=viewer.organization_id, pk=resident_id).first()


def archived_records(*, viewer: Membership, resident: Resident) -> dict[str, QuerySet]:
    """The resident's archived drug tests, incidents and notes, newest first, for an operator of their organization:
    sensitive rows, so each queryset's fetched rows are an audited read by the viewer."""
    if not viewer.is_operator or resident.organization_id != viewer.organization_id:
        return {"drug_tests": DrugTest.objects.none(), "incidents": Incident.objects.none(),
                "notes": ResidentNote.objects.none()}  # fmt: skip
    tests = (
        DrugTest.objects.visible_to(viewer).archived().filter(resident=resident)
        .select_related("house").prefetch_related("substances")
    )  # fmt: skip
    incidents = (
        Incident.objects.visible_to(viewer).archived().filter(residents=resident)
        .select_related("house").prefetch_related("residents")
    )  # fmt: skip
    notes = ResidentNote.objects.visible_to(viewer).archived().filter(resident=resident).select_related("author")
    return {
        "drug_tests": audited(tests, viewer=viewer),
        "incidents": audited(incidents, viewer=viewer),
        "notes": audited(notes, viewer=viewer),
    }


def due_count(*, viewer: Membership) -> int:
    """How many records are due for archiving, for the operators' dashboard notice (0 for anyone else, and without a
    kept-years setting, at no query)."""
    if not viewer.is_operator or not viewer.organization.sensitive_records_kept_years:
        return 0
    return due_for_archiving(organization=viewer.organization).total


def _count_of(rows: QuerySet, by: str):
    counted = rows.order_by().values(by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def archived_count_for_resident_page(*, viewer: Membership, resident: Resident) -> int:
    """How many of the resident's drug tests, incidents and notes are archived, for the notice on their page (a
    readmitted resident's earlier positive tests are out of view): for operators, and for a manager when the
    resident lives in one of their houses now; 0 for anyone else. One query; counts only, so no audited read."""
    if resident.organization_id != viewer.organization_id or not viewer.is_staff_member:
        return 0
    counts = Resident.objects.filter(pk=resident.pk).annotate(
        archived=_count_of(DrugTest.objects.archived().filter(resident=OuterRef("pk")), "resident")
        + _count_of(ResidentNote.objects.archived().filter(resident=OuterRef("pk")), "resident")
        + _count_of(
            IncidentResident.objects.filter(resident=OuterRef("pk"), incident__archived_at__isnull=False), "resident"
        )
    )
    if not viewer.is_operator:
        lives_here = Stay.objects.visible_to(viewer).filter(resident=OuterRef("pk"), move_out__isnull=True)
        counts = counts.filter(Exists(lives_here))
    return counts.values_list("archived", flat=True).first() or 0
