"""The certification endpoints' router registrations, added to the API router in ``config/api_urls.py``."""

from .documents import DocumentViewSet
from .drills import DrillViewSet
from .inspections import CorrectiveActionViewSet, InspectionLineViewSet, InspectionViewSet
from .safety import SafetyEquipmentViewSet, SafetyPolicyViewSet


def register(router) -> None:
    router.register("documents", DocumentViewSet, basename="document")
    router.register("safety-policies", SafetyPolicyViewSet, basename="safety-policy")
    router.register("safety-equipment", SafetyEquipmentViewSet, basename="safety-equipment")
    router.register("inspections", InspectionViewSet, basename="inspection")
    router.register("inspection-lines", InspectionLineViewSet, basename="inspection-line")
    router.register("corrective-actions", CorrectiveActionViewSet, basename="corrective-action")
    router.register("drills", DrillViewSet, basename="drill")
