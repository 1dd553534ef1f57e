from datetime import date
from decimal import Decimal

import pytest
import time_machine

from accounts.exceptions import Conflict, Invalid, NotAllowed
from billing.models import LedgerEntry, Payment, RentSchedule
from billing.services.rent import rent_post_due
from peer.models import BankEntry, ShareRate
from peer.selectors.money import member_balances, register_balance, unreconciled_months
from peer.services import meetings, money
from tests.peer.conftest import TODAY, add_member, at, login


def _expenses(house, members):
    comptroller = login(members.comptroller)
    money.expected_expense_add(actor=comptroller, house=house, kind="rent", payee="Elm St Properties", amount="2600")
    money.expected_expense_add(actor=comptroller, house=house, kind="utilities", payee="City Power", amount="52",
                               period="weekly")  # fmt: skip


@pytest.fixture
def shared(peer_house, members):
    _expenses(peer_house, members)
    return money.share_set(actor=login(members.comptroller), house=peer_house, starts_on=date(2026, 3, 16))


def _register(house, members, opening="1000.00"):
    treasurer = login(members.treasurer)
    money.bank_entry_record(actor=treasurer, house=house, kind="opening", amount=opening, entry_on=date(2026, 2, 1))
    return treasurer


def test_the_weekly_share_is_the_expected_weekly_expenses_divided_by_the_beds(shared):
    # 2,600 a month is 600 a week (x12/52), plus 52 a week of utilities: 652 over 8 beds.
    assert (shared.weekly_expenses, shared.beds, shared.amount) == (Decimal("652.00"), 8, Decimal("81.50"))


def test_the_share_is_rounded_up_to_the_cent_so_the_shares_cover_the_expenses(peer_house, members):
    money.expected_expense_add(actor=login(members.comptroller), house=peer_house, kind="supplies", payee="Co-op",
                               amount="100", period="weekly")  # fmt: skip
    rate = money.share_set(actor=login(members.comptroller), house=peer_house, starts_on=TODAY)
    assert rate.amount == Decimal("12.50")
    money.expected_expense_add(actor=login(members.comptroller), house=peer_house, kind="supplies", payee="Store",
                               amount="1", period="weekly")  # fmt: skip
    later = money.share_set(actor=login(members.comptroller), house=peer_house, starts_on=date(2026, 3, 12))
    assert later.amount == Decimal("12.63")


def test_only_the_comptroller_sets_the_share(peer_house, members):
    _expenses(peer_house, members)
    with pytest.raises(NotAllowed, match="comptroller"):
        money.share_set(actor=login(members.treasurer), house=peer_house, starts_on=TODAY)
    assert not ShareRate.objects.exists()


def test_every_member_gets_the_share_as_their_weekly_rent(peer_house, members, shared):
    schedules = RentSchedule.objects.filter(stay__house=peer_house)
    assert {(s.amount, s.period, s.starts_on) for s in schedules} == {(Decimal("81.50"), "weekly", date(2026, 3, 16))}
    assert schedules.count() == 6


def test_the_share_posts_weekly_once_however_often_the_job_runs(peer_house, members, shared):
    with time_machine.travel(at(date(2026, 3, 16), 3), tick=False):
        rent_post_due(on=date(2026, 3, 16))
        rent_post_due(on=date(2026, 3, 16))
    charges = LedgerEntry.objects.filter(house=peer_house, kind="rent")
    assert (charges.count(), {c.amount for c in charges}) == (6, {Decimal("81.50")})


def test_a_new_member_pays_what_everyone_pays(peer_house, members, shared):
    newcomer = add_member(peer_house, on=date(2026, 3, 16))
    assert newcomer.stays.get().rent_schedules.get().amount == Decimal("81.50")


def test_the_treasurer_takes_a_members_share_in_cash(peer_house, members, shared):
    payment = money.share_payment_record(actor=login(members.treasurer), member=members.coordinator, method="cash",
                                         amount="81.50", received_on=TODAY)  # fmt: skip
    assert (payment.amount, payment.receipt_number > 0) == (Decimal("81.50"), True)
    assert member_balances(peer_house)[members.coordinator.pk] == Decimal("-81.50")


def test_a_member_who_is_not_the_treasurer_cannot_take_shares(peer_house, members, shared):
    with pytest.raises(NotAllowed):
        money.share_payment_record(actor=login(members.secretary), member=members.coordinator, method="cash",
                                   amount="81.50", received_on=TODAY)  # fmt: skip
    assert not Payment.objects.exists()


def test_a_check_is_signed_by_two_officers(peer_house, members):
    treasurer = _register(peer_house, members)
    check = money.bank_entry_record(
        actor=treasurer, house=peer_house, kind="check", amount="600", entry_on=date(2026, 3, 2), number="1043",
        payee="Elm St Properties", signed_by=members.treasurer, cosigned_by=members.president,
    )  # fmt: skip
    assert (check.signed_by, check.cosigned_by) == (members.treasurer, members.president)
    assert register_balance(peer_house) == Decimal("400.00")


def test_a_check_signed_twice_by_one_officer_is_refused(peer_house, members):
    treasurer = _register(peer_house, members)
    with pytest.raises(Invalid, match="another officer"):
        money.bank_entry_record(
            actor=treasurer, house=peer_house, kind="check", amount="600", entry_on=date(2026, 3, 2), number="1043",
            payee="Elm St Properties", signed_by=members.treasurer, cosigned_by=members.treasurer,
        )  # fmt: skip
    assert not BankEntry.objects.filter(kind="check").exists()


def test_a_check_signed_by_a_member_who_holds_no_office_is_refused(peer_house, members):
    treasurer = _register(peer_house, members)
    plain = add_member(peer_house)
    with pytest.raises(Invalid, match="two officers"):
        money.bank_entry_record(
            actor=treasurer, house=peer_house, kind="check", amount="60", entry_on=date(2026, 3, 2), number="1044",
            payee="Co-op", signed_by=members.treasurer, cosigned_by=plain,
        )  # fmt: skip


def test_a_check_number_is_used_once(peer_house, members):
    treasurer = _register(peer_house, members)
    fields = {"kind": "check", "amount": "10", "entry_on": date(2026, 3, 2), "payee": "Co-op",
              "signed_by": members.treasurer, "cosigned_by": members.president, "number": "1045"}  # fmt: skip
    money.bank_entry_record(actor=treasurer, house=peer_house, **fields)
    with pytest.raises(Conflict, match="1045"):
        money.bank_entry_record(actor=treasurer, house=peer_house, **fields)


def test_the_register_starts_with_its_opening_balance(peer_house, members):
    with pytest.raises(Conflict, match="opening balance"):
        money.bank_entry_record(actor=login(members.treasurer), house=peer_house, kind="deposit", amount="81.50",
                                entry_on=TODAY)  # fmt: skip


def _february(house, members, treasurer):
    money.bank_entry_record(actor=treasurer, house=house, kind="deposit", amount="489", entry_on=date(2026, 2, 9))
    return money.bank_entry_record(
        actor=treasurer, house=house, kind="check", amount="600", entry_on=date(2026, 2, 27), number="1040",
        payee="Elm St Properties", signed_by=members.treasurer, cosigned_by=members.president,
    )  # fmt: skip


def test_an_audit_reconciles_when_the_statement_equals_the_register_less_what_has_not_cleared(peer_house, members):
    treasurer = _register(peer_house, members)
    uncashed = _february(peer_house, members, treasurer)
    cleared = BankEntry.objects.exclude(pk=uncashed.pk)
    # The bank holds 1,489: the register's 889 plus the check for 600 not yet cashed.
    audit = money.audit_prepare(actor=login(members.comptroller), house=peer_house, month=date(2026, 2, 1),
                                statement_balance="1489.00", cleared=cleared,
                                auditors=[members.secretary, members.coordinator])  # fmt: skip
    assert (audit.register_balance, audit.uncleared_out, audit.difference) == (
        Decimal("889.00"), Decimal("600.00"), Decimal("0.00"),
    )  # fmt: skip


def test_an_audit_lists_a_difference_it_cannot_explain(peer_house, members):
    treasurer = _register(peer_house, members)
    _february(peer_house, members, treasurer)
    audit = money.audit_prepare(actor=login(members.comptroller), house=peer_house, month=date(2026, 2, 1),
                                statement_balance="880.00", cleared=BankEntry.objects.all(),
                                auditors=[members.secretary, members.coordinator])  # fmt: skip
    assert (audit.difference, audit.is_reconciled) == (Decimal("-9.00"), False)


def test_a_month_stays_flagged_until_its_audit_reconciles_and_is_signed_off(peer_house, members):
    treasurer = _register(peer_house, members)
    _february(peer_house, members, treasurer)
    assert unreconciled_months(peer_house, today=TODAY) == [date(2026, 2, 1)]
    audit = money.audit_prepare(actor=login(members.comptroller), house=peer_house, month=date(2026, 2, 1),
                                statement_balance="889.00", cleared=BankEntry.objects.all(),
                                auditors=[members.secretary, members.coordinator])  # fmt: skip
    money.audit_sign(actor=login(members.secretary), audit=audit)
    assert unreconciled_months(peer_house, today=TODAY) == [date(2026, 2, 1)]
    money.audit_sign(actor=login(members.coordinator), audit=audit)
    assert unreconciled_months(peer_house, today=TODAY) == []


def test_the_treasurer_cannot_audit_their_own_register(peer_house, members):
    _register(peer_house, members)
    with pytest.raises(Invalid, match="other than the treasurer"):
        money.audit_prepare(actor=login(members.comptroller), house=peer_house, month=date(2026, 2, 1),
                            statement_balance="1000", cleared=[],
                            auditors=[members.treasurer, members.secretary])  # fmt: skip


def test_nothing_is_dated_into_an_audited_month(peer_house, members):
    treasurer = _register(peer_house, members)
    money.audit_prepare(actor=login(members.comptroller), house=peer_house, month=date(2026, 2, 1),
                        statement_balance="1000", cleared=BankEntry.objects.all(),
                        auditors=[members.secretary, members.coordinator])  # fmt: skip
    with pytest.raises(Conflict, match="audited"):
        money.bank_entry_record(
            actor=treasurer, house=peer_house, kind="deposit", amount="5", entry_on=date(2026, 2, 20)
        )


def test_a_member_behind_by_more_than_the_limit_gets_a_behaviour_contract(peer_house, members, shared):
    with time_machine.travel(at(date(2026, 4, 1), 20), tick=False):
        rent_post_due(on=date(2026, 4, 1))  # three weeks of shares, from March 16
        president = login(members.president)
        meeting = meetings.meeting_open(actor=president, house=peer_house, held_at=at(date(2026, 4, 1)))
        contract = money.behaviour_contract_record(
            actor=president, meeting=meeting, member=members.coordinator, terms="Pays $40 extra each Friday"
        )
    assert contract.amount_behind == Decimal("244.50")


def test_a_member_not_behind_needs_no_behaviour_contract(peer_house, members, shared, meeting):
    with pytest.raises(Invalid, match="not behind"):
        money.behaviour_contract_record(actor=login(members.president), meeting=meeting,
                                        member=members.coordinator, terms="Pays")  # fmt: skip
