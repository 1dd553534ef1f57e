"""Residents and house life, one module per topic. Import models from here: ``from residents.models import Stay``."""

from .profiles import Resident
from .stays import BedAssignment, Stay

__all__ = ["BedAssignment", "Resident", "Stay"]
