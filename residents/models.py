"""Every model of the app, each defined in its slice (one folder per domain).

Import models from here: ``from residents.models import Stay``."""

from residents.chores.models import Chore, ChoreAssignment, ChoreRotationMember
from residents.conduct.models.grievances import Grievance
from residents.conduct.models.incidents import Incident, ResidentNote
from residents.core.models.applications import Application, ApplicationEvent
from residents.core.models.profiles import Resident
from residents.core.models.stays import BedAssignment, Stay
from residents.house_rules.models import HouseRule, HouseRuleVersion, RuleAcknowledgement, RuleCategory, RuleSet
from residents.meetings.models import HouseMeeting, RecoveryMeetingAttendance
from residents.program.models.phases import Phase, PhaseChange
from residents.program.models.signouts import OvernightPass, SignOut
from residents.testing.models import (
    Draw,
    DrugTest,
    DrugTestPolicy,
    DrugTestSubstance,
    Substance,
    TestReason,
    TestRequest,
)

__all__ = [
    "Application", "ApplicationEvent", "BedAssignment", "Chore", "ChoreAssignment", "ChoreRotationMember", "Draw",
    "DrugTest", "DrugTestPolicy", "DrugTestSubstance", "Grievance", "HouseMeeting", "HouseRule", "HouseRuleVersion",
    "Incident", "OvernightPass", "Phase", "PhaseChange", "RecoveryMeetingAttendance", "Resident", "ResidentNote",
    "RuleAcknowledgement", "RuleCategory", "RuleSet", "SignOut", "Stay", "Substance", "TestReason", "TestRequest",
]  # fmt: skip
