"""Residents and house life, one module per topic. Import models from here: ``from residents.models import Stay``."""

from .phases import Phase, PhaseChange
from .profiles import Resident
from .signouts import OvernightPass, SignOut
from .stays import BedAssignment, Stay

__all__ = ["BedAssignment", "OvernightPass", "Phase", "PhaseChange", "Resident", "SignOut", "Stay"]
