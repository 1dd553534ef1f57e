"""Archiving what the retention policy makes due, and restoring it (operators only; see the package's docstring).

Nothing here deletes a row: archiving sets ``archived_at``, restoring clears it. Each is one audit entry per kind of
record (``archive`` / ``restore``) naming every row, written inside the transaction that changes them.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.exceptions import Conflict, NotAllowed, NotFound
from accounts.models import Membership, Organization
from residents.models import DrugTest, Incident, Resident, ResidentNote
from residents.retention.selectors import due_for_archiving


@dataclass(frozen=True)
class Counts:
    drug_tests: int = 0
    incidents: int = 0
    notes: int = 0

    @property
    def total(self) -> int:
        return self.drug_tests + self.incidents + self.notes


def _require_operator(actor: Membership, what: str) -> None:
    if not actor.is_operator:
        raise NotAllowed(_("Only an operator may %(what)s.") % {"what": what})


def _lock_organization(actor: Membership) -> Organization:
    # One archive or restore at a time per organization: two operators pressing at once cannot both count (and
    # audit) the same rows.
    return Organization.objects.select_for_update().get(pk=actor.organization_id)


def _audit(actor: Membership, action: str, model, ids: list[int], detail: str) -> None:
    audit.changed_many(actor=actor, action=action, model=model, object_ids=ids, detail=detail)


@transaction.atomic
def archive_due(*, actor: Membership) -> Counts:
    """Archives every drug test, incident and note the organization's retention policy makes due today (the
    organization's date), as an operator. Refused (409) while the organization keeps records in view for good."""
    _require_operator(actor, "archive records")
    organization = _lock_organization(actor)
    if not organization.sensitive_records_kept_years:
        raise Conflict(
            _("Set how many years to keep sensitive records after a discharge (Settings) before archiving any."),
            field="sensitive_records_kept_years",
        )
    due = due_for_archiving(organization=organization)
    now = timezone.now()
    DrugTest.objects.filter(pk__in=due.drug_test_ids).update(archived_at=now)
    Incident.objects.filter(pk__in=due.incident_ids).update(archived_at=now)
    ResidentNote.objects.filter(pk__in=due.note_ids).set_archived_at(now)
    detail = f"{organization.sensitive_records_kept_years} years after discharge"
    _audit(actor, audit.Action.ARCHIVE, DrugTest, due.drug_test_ids, detail)
    _audit(actor, audit.Action.ARCHIVE, Incident, due.incident_ids, detail)
    _audit(actor, audit.Action.ARCHIVE, ResidentNote, due.note_ids, detail)
    return Counts(drug_tests=len(due.drug_test_ids), incidents=len(due.incident_ids), notes=len(due.note_ids))


@transaction.atomic
def archive_restore(*, actor: Membership, resident: Resident) -> Counts:
    """Brings the resident's archived drug tests, incidents (those involving them, for everyone involved) and notes
    back into day-to-day view, as an operator of their organization."""
    _require_operator(actor, "restore archived records")
    if resident.organization_id != actor.organization_id:
        raise NotFound(_("No such resident."), field="resident")
    _lock_organization(actor)
    tests = list(DrugTest.objects.archived().filter(resident=resident).values_list("pk", flat=True))
    incidents = list(Incident.objects.archived().filter(residents=resident).values_list("pk", flat=True))
    notes = list(ResidentNote.objects.archived().filter(resident=resident).values_list("pk", flat=True))
    DrugTest.objects.filter(pk__in=tests).update(archived_at=None)
    Incident.objects.filter(pk__in=incidents).update(archived_at=None)
    ResidentNote.objects.filter(pk__in=notes).set_archived_at(None)
    detail = f"resident {resident.pk}"
    _audit(actor, audit.Action.RESTORE, DrugTest, tests, detail)
    _audit(actor, audit.Action.RESTORE, Incident, incidents, detail)
    _audit(actor, audit.Action.RESTORE, ResidentNote, notes, detail)
    return Counts(drug_tests=len(tests), incidents=len(incidents), notes=len(notes))
