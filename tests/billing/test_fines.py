"""An incident whose consequence is a fine charges each resident involved, and the ledger follows its corrections."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import EntryKind, LedgerEntry
from billing.selectors.balances import balance_of
from billing.services.ledger import entry_reverse
from residents.conduct.services import incidents as incident_services
from tests.factories import admit
from tests.residents.drug_tests_factories import moment, record_incident

from .conftest import discharge

INCIDENT_DAY = date(2026, 6, 10)


@pytest.fixture
def stays(policy, house):
    return [admit(house, date(2026, 3, 1)), admit(house, date(2026, 4, 1))]


@pytest.fixture
def residents(stays):
    return [stay.resident for stay in stays]


def fine(manager, house, residents, amount="25.00", **overrides):
    return record_incident(
        manager, house, on=INCIDENT_DAY, residents=residents, action="fine", fine_amount=Decimal(amount), **overrides
    )


def fines_of(resident):
    return LedgerEntry.objects.filter(resident=resident, kind=EntryKind.FINE).order_by("pk")


def change(manager, incident, **changes):
    return incident_services.incident_update(actor=manager, incident=incident, **changes)


def test_a_fine_charges_each_resident_involved_once_dated_the_day_it_happened(manager, house, stays, residents):
    fine(manager, house, residents, rule_reference="Rule 4: curfew")
    for stay in stays:
        [entry] = fines_of(stay.resident)
        assert (entry.amount, entry.effective_on, entry.stay) == (Decimal("25.00"), INCIDENT_DAY, stay)
        assert entry.memo == "Fine: curfew incident on Jun 10, 2026 (Rule 4: curfew)"
        assert entry.created_by == manager.user


def test_an_incident_with_another_consequence_charges_nothing(manager, house, residents):
    record_incident(manager, house, on=INCIDENT_DAY, residents=residents, action="warning")
    assert not LedgerEntry.objects.filter(kind=EntryKind.FINE).exists()


def test_saving_the_incident_again_posts_no_second_fine(manager, house, residents):
    incident = fine(manager, house, residents)
    change(manager, incident, follow_up_on=date(2026, 6, 20))
    change(manager, incident, fine_amount=Decimal("25"))
    assert [fines_of(resident).count() for resident in residents] == [1, 1]


def test_a_changed_amount_reverses_the_fine_and_charges_the_new_one(manager, house, residents):
    incident = fine(manager, house, residents[:1])
    change(manager, incident, fine_amount=Decimal("40.00"))
    first, second = fines_of(residents[0])
    assert first.reversed_by.amount == Decimal("-25.00")
    assert second.amount == Decimal("40.00")
    fines_and_reversals = LedgerEntry.objects.filter(resident=residents[0], kind__in=["fine", "reversal"])
    assert sum(entry.amount for entry in fines_and_reversals) == Decimal("40.00")


def test_a_resident_taken_off_the_incident_has_their_fine_reversed(manager, house, residents):
    incident = fine(manager, house, residents)
    change(manager, incident, residents=residents[:1])
    assert not hasattr(fines_of(residents[0]).get(), "reversed_by")
    assert fines_of(residents[1]).get().reversed_by.memo == "the incident no longer carries a fine"


def test_a_consequence_changed_from_a_fine_reverses_every_fine(manager, house, residents):
    incident = fine(manager, house, residents)
    change(manager, incident, action="warning", fine_amount=None)
    assert all(fines_of(resident).get().reversed_by for resident in residents)
    assert LedgerEntry.objects.live().filter(kind=EntryKind.FINE).count() == 0


def test_a_resident_added_later_is_fined_too(manager, house, residents):
    incident = fine(manager, house, residents[:1])
    change(manager, incident, residents=residents)
    assert fines_of(residents[1]).get().amount == Decimal("25.00")
    assert fines_of(residents[0]).count() == 1


def test_a_fine_forgiven_by_hand_stays_forgiven_when_the_incident_is_edited(manager, house, residents):
    incident = fine(manager, house, residents[:1])
    entry_reverse(actor=manager, entry=fines_of(residents[0]).get(), memo="Forgiven")
    change(manager, incident, severity="medium")
    assert fines_of(residents[0]).count() == 1


def test_a_forgiven_fine_is_charged_again_when_the_amount_changes(manager, house, residents):
    incident = fine(manager, house, residents[:1])
    entry_reverse(actor=manager, entry=fines_of(residents[0]).get(), memo="Forgiven")
    change(manager, incident, fine_amount=Decimal("10.00"))
    assert [entry.amount for entry in fines_of(residents[0])] == [Decimal("25.00"), Decimal("10.00")]
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSAL, resident=residents[0]).count() == 1


def test_a_fine_for_a_resident_who_has_since_left_goes_to_the_stay_they_were_in(manager, house, stays):
    discharge(stays[0], date(2026, 6, 12))
    fine(manager, house, [stays[0].resident])
    assert fines_of(stays[0].resident).get().stay == stays[0]


def test_an_incident_refused_by_its_rules_posts_no_fine(manager, house, residents):
    with pytest.raises(Exception, match="positive amount"):
        fine(manager, house, residents, amount="0")
    assert not LedgerEntry.objects.filter(kind=EntryKind.FINE).exists()


def test_recording_a_fine_through_the_api_shows_in_the_residents_balance(api, manager, house, residents, organization):
    before = balance_of(residents[0].pk)
    response = api(manager).post(
        "/api/v1/incidents/",
        {
            "house": house.pk,
            "residents": [residents[0].pk],
            "occurred_at": moment(organization, INCIDENT_DAY, hour=22).isoformat(),
            "category": "guest_policy",
            "severity": "medium",
            "what_happened": "Overnight guest without permission.",
            "action": "fine",
            "fine_amount": "50.00",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert balance_of(residents[0].pk) - before == Decimal("50.00")
