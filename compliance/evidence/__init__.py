"""Judging a house's evidence against the NARR map. Importing this package registers every evaluator."""

from . import evaluators, external  # noqa: F401  (each module registers its evaluators and loaders)
from .registry import (
    EXPIRED,
    EXPIRING,
    MET,
    MISSING,
    NOT_APPLICABLE,
    STATUS_LABELS,
    STATUSES,
    Evidence,
    EvidenceData,
    EvidenceStatus,
    HouseContext,
    registry,
    worst,
)

__all__ = [
    "EXPIRED",
    "EXPIRING",
    "MET",
    "MISSING",
    "NOT_APPLICABLE",
    "STATUSES",
    "STATUS_LABELS",
    "Evidence",
    "EvidenceData",
    "EvidenceStatus",
    "HouseContext",
    "registry",
    "worst",
]
