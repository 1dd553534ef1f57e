"""Certification evidence. Import models from here: ``from compliance.models import Document``."""

from .documents import ALLOWED_CONTENT_TYPES, PUBLISHED_KINDS, Document, DocumentKind
from .reminders import ReminderSent
from .safety import CorrectiveAction, Drill, Inspection, InspectionLine, SafetyEquipment, SafetyPolicy

__all__ = [
    "ALLOWED_CONTENT_TYPES",
    "PUBLISHED_KINDS",
    "CorrectiveAction",
    "Document",
    "DocumentKind",
    "Drill",
    "Inspection",
    "InspectionLine",
    "ReminderSent",
    "SafetyEquipment",
    "SafetyPolicy",
]
