"""Residents and house life, one module per topic. Import models from here: ``from residents.models import Stay``."""

from .applications import Application, ApplicationEvent
from .chores import Chore, ChoreAssignment, ChoreRotationMember
from .drug_tests import Draw, DrugTest, DrugTestPolicy, DrugTestSubstance, Substance, TestReason, TestRequest
from .grievances import Grievance
from .incidents import Incident, ResidentNote
from .meetings import HouseMeeting, RecoveryMeetingAttendance
from .profiles import Resident
from .rules import HouseRule, HouseRuleVersion, RuleAcknowledgement, RuleCategory, RuleSet
from .stays import BedAssignment, Stay

__all__ = ["Application", "ApplicationEvent", "BedAssignment", "Resident", "Stay"]
__all__ += ["Grievance", "HouseRule", "HouseRuleVersion", "RuleAcknowledgement", "RuleCategory", "RuleSet"]
__all__ += ["Draw", "DrugTest", "DrugTestPolicy", "DrugTestSubstance", "Substance", "TestReason", "TestRequest"]
__all__ += ["Incident", "ResidentNote"]
__all__ += ["Chore", "ChoreAssignment", "ChoreRotationMember"]
__all__ += ["HouseMeeting", "RecoveryMeetingAttendance"]
