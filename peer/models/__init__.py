"""Peer-run houses (the Oxford House model): the house's charter, its officers, its business meetings and votes."""

from .governance import HouseCharter, Office, OfficerTerm
from .meetings import Ballot, BusinessMeeting, Motion

__all__ = ["Ballot", "BusinessMeeting", "HouseCharter", "Motion", "Office", "OfficerTerm"]
