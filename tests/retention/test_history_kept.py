"""Archiving takes records out of day-to-day view, never out of history: past months report the same figures, the
ledger is untouched, and a note stays append-only for every other change."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import LedgerEntry
from reports.metrics import as_json, monthly_metrics
from reports.metrics.period import Month
from residents.models import ResidentNote
from residents.retention import services
from tests.residents.drug_tests_factories import record_incident

from .conftest import LATER, at, discharge, lived_with_records


@pytest.fixture
def fined(house, kept, operator):
    """A resident discharged long ago, fined for an incident while they lived in the house."""
    stay = lived_with_records(house, discharged=None)
    record_incident(operator, house, on=date(2026, 2, 20), residents=[stay.resident], action="fine",
                    fine_amount=Decimal("25.00"))  # fmt: skip
    discharge(stay)
    return stay.resident


def _february(organization):
    return as_json(monthly_metrics(organization=organization, month=Month(2026, 2)))


def test_a_past_months_report_counts_the_same_tests_and_incidents_after_archiving(fined, kept, operator):
    with at(LATER):
        before = _february(kept)
        counts = services.archive_due(actor=operator)
        after = _february(kept)
    assert (counts.drug_tests, counts.incidents) == (2, 2)
    assert after == before
    assert before["totals"]["compliance"]["tests_collected"] == 1  # February's positive test, counted still


def test_the_ledger_is_untouched_by_archiving_and_restoring(fined, kept, operator):
    ledger = list(LedgerEntry.objects.values().order_by("pk"))
    assert ledger, "the fine is in the ledger"
    with at(LATER):
        services.archive_due(actor=operator)
        assert list(LedgerEntry.objects.values().order_by("pk")) == ledger
        services.archive_restore(actor=operator, resident=fined)
    assert list(LedgerEntry.objects.values().order_by("pk")) == ledger


def test_an_archived_note_keeps_its_words_author_and_date(fined, kept, operator):
    note = ResidentNote.objects.get()
    with at(LATER):
        services.archive_due(actor=operator)
    archived = ResidentNote.objects.get()
    assert (archived.body, archived.author_id, archived.created_at) == (note.body, note.author_id, note.created_at)
    assert archived.archived_at is not None


def test_a_note_is_still_append_only_for_any_other_change(fined):
    with pytest.raises(PermissionError):
        ResidentNote.objects.update(body="Rewritten")
    note = ResidentNote.objects.get()
    note.body = "Rewritten"
    with pytest.raises(PermissionError):
        note.save()
