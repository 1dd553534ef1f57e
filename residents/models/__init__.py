"""Residents and house life, one module per topic. Import models from here: ``from residents.models import Stay``."""

from .chores import Chore, ChoreAssignment, ChoreRotationMember
from .meetings import HouseMeeting, RecoveryMeetingAttendance
from .profiles import Resident
from .stays import BedAssignment, Stay

__all__ = ["BedAssignment", "Resident", "Stay"]
__all__ += ["Chore", "ChoreAssignment", "ChoreRotationMember"]
__all__ += ["HouseMeeting", "RecoveryMeetingAttendance"]
