"""Residents and house life, one module per topic. Import models from here: ``from residents.models import Stay``."""

from .applications import Application, ApplicationEvent
from .chores import Chore, ChoreAssignment, ChoreRotationMember
from .drug_tests import Draw, DrugTest, DrugTestPolicy, DrugTestSubstance, Substance, TestReason, TestRequest
from .grievances import Grievance
from .incidents import Incident, ResidentNote
from .meetings import HouseMeeting, RecoveryMeetingAttendance
from .phases import Phase, PhaseChange
from .profiles import Resident
from .rules import HouseRule, HouseRuleVersion, RuleAcknowledgement, RuleCategory, RuleSet
from .signouts import OvernightPass, SignOut
from .stays import BedAssignment, Stay

__all__ = [
    "Application", "ApplicationEvent", "BedAssignment", "Chore", "ChoreAssignment", "ChoreRotationMember", "Draw",
    "DrugTest", "DrugTestPolicy", "DrugTestSubstance", "Grievance", "HouseMeeting", "HouseRule", "HouseRuleVersion",
    "Incident", "OvernightPass", "Phase", "PhaseChange", "RecoveryMeetingAttendance", "Resident", "ResidentNote",
    "RuleAcknowledgement", "RuleCategory", "RuleSet", "SignOut", "Stay", "Substance", "TestReason", "TestRequest",
]  # fmt: skip
