"""Peer-run houses (the Oxford House model): the house's charter, its officers, its business meetings and votes, its
money (expenses, shares, bank register, audits) and its chapter."""

from .chapters import Chapter, HouseReport
from .governance import HouseCharter, Office, OfficerTerm
from .meetings import Ballot, BusinessMeeting, Motion
from .money import (
    AuditSignature,
    BankEntry,
    BehaviourContract,
    ExpectedExpense,
    ExpenseKind,
    HouseBill,
    MonthlyAudit,
    ShareRate,
)

__all__ = [
    "AuditSignature", "Ballot", "BankEntry", "BehaviourContract", "BusinessMeeting", "Chapter", "ExpectedExpense",
    "ExpenseKind", "HouseBill", "HouseCharter", "HouseReport", "MonthlyAudit", "Motion", "Office", "OfficerTerm",
    "ShareRate",
]  # fmt: skip
