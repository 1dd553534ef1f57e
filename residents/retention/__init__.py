"""Retention of sensitive records: discharged residents' drug tests, incidents and staff notes leave day-to-day view
some years after their discharge, by the operator's hand.

- **When.** ``Organization.sensitive_records_kept_years`` (empty: nothing is ever due). A resident's records are due
  once that many years have passed since their discharge: the move-out of their last stay, read on the
  organization's date. A resident with an open stay (living in a house, or readmitted) is never due. An incident
  involving several residents is due only when every one of them is; an incident involving nobody never is.
- **Who.** Operators only, on the Archive page (``/dashboard/archive/``): it shows what is due, resident by resident,
  and "Archive what is due" archives exactly that. The dashboard tells operators how many records are due. There is
  no nightly job: archiving is a decision someone takes and can answer for, not something that happens unseen.
- **What archiving does.** It sets ``archived_at``; nothing is deleted. The day-to-day selectors (``drug_tests_for``,
  ``incidents_for``, ``resident_notes_for``, hence every page, API list, dashboard and filter built on them, the
  resident's portal list included) leave archived rows out through the querysets' ``in_view()``. Reports about the
  past read the tables themselves (``reports.metrics``, phase compliance), so a month's figures never change. The
  ledger is not touched (a fine's charges stay). A resident's own data export (their right of access) includes
  their archived tests. Operators read archived records, and restore them (clearing ``archived_at``), on the Archive
  page; archiving and restoring are audit entries (``archive`` / ``restore``) naming every row.
- **Notes are append-only.** The one change a note takes is ``ResidentNoteQuerySet.set_archived_at``, used only here.
"""
