"""Residents and house life, one module per topic. Import models from here: ``from residents.models import Stay``."""

from .drug_tests import Draw, DrugTest, DrugTestPolicy, DrugTestSubstance, Substance, TestReason, TestRequest
from .incidents import Incident, ResidentNote
from .profiles import Resident
from .stays import BedAssignment, Stay

__all__ = ["BedAssignment", "Resident", "Stay"]
__all__ += ["Draw", "DrugTest", "DrugTestPolicy", "DrugTestSubstance", "Substance", "TestReason", "TestRequest"]
__all__ += ["Incident", "ResidentNote"]
