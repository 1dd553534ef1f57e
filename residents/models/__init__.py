"""Residents and house life, one module per topic. Import models from here: ``from residents.models import Stay``."""

from .applications import Application, ApplicationEvent
from .profiles import Resident
from .stays import BedAssignment, Stay

__all__ = ["Application", "ApplicationEvent", "BedAssignment", "Resident", "Stay"]
