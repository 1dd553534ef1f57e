"""The evidence registry: each evidence type of the NARR map is judged by one function, from data loaded once.

An evaluator takes the evidence spec from the map (``{"type": "document", "kind": "refund_policy"}``) and a
``HouseContext`` and returns an ``Evidence``. Evaluators never query: they ask the context for a dataset by name,
and each dataset is loaded for all houses being judged in one or two queries the first time any evaluator asks.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceStatus(models.TextChoices):
    """Where a piece of evidence, a rule or a house stands on a day (its value is what the API and PDF show)."""

    MET = "met", _("Met")
    EXPIRING = "expiring", _("Expiring")
    EXPIRED = "expired", _("Expired")
    MISSING = "missing", _("Missing")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


MET = EvidenceStatus.MET
EXPIRING = EvidenceStatus.EXPIRING
EXPIRED = EvidenceStatus.EXPIRED
MISSING = EvidenceStatus.MISSING
NOT_APPLICABLE = EvidenceStatus.NOT_APPLICABLE
STATUSES = tuple(EvidenceStatus)
STATUS_LABELS = dict(EvidenceStatus.choices)
STATUS_CHOICES = EvidenceStatus.choices
# How bad a status is, for a rule with several pieces of evidence: the worst one wins.
SEVERITY = {NOT_APPLICABLE: 0, MET: 1, EXPIRING: 2, MISSING: 3, EXPIRED: 4}
# The CSS class of each status's badge on the pages.
BADGES = {MET: "ok", EXPIRING: "warn", EXPIRED: "bad", MISSING: "bad", NOT_APPLICABLE: ""}


class Judged:
    """Something judged on a day (evidence, a rule, an overview cell): its ``status`` as the pages and PDF show it."""

    status: EvidenceStatus

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def badge(self) -> str:
        return BADGES[self.status]


@dataclass(frozen=True)
class Evidence(Judged):
    """One piece of evidence judged for a house: what the map asked for (``type``), where it stands, why, until
    when, and links to the records behind it (each ``{"label", "url"}``)."""

    type: str
    status: EvidenceStatus
    note: str = ""
    valid_until: date | None = None
    links: list[dict] = field(default_factory=list)


def dated_status(valid_until: date | None, on: date, warn_days: int) -> EvidenceStatus:
    """Met while valid; expiring within ``warn_days`` of the last valid day; expired after it."""
    if valid_until is None:
        return MET
    if valid_until < on:
        return EXPIRED
    if (valid_until - on).days <= warn_days:
        return EXPIRING
    return MET


def worst(statuses) -> EvidenceStatus:
    statuses = list(statuses)
    return max(statuses, key=SEVERITY.__getitem__) if statuses else NOT_APPLICABLE


@dataclass(frozen=True)
class EvaluatorSpec:
    function: Callable
    params: frozenset
    required: frozenset


Loader = Callable[[list, date], dict[int, Any]]


class Registry:
    def __init__(self):
        self.evaluators: dict[str, EvaluatorSpec] = {}
        self.loaders: dict[str, Loader] = {}

    def evaluator(self, type_name: str, *, params=(), required=()):
        """Registers the function that judges evidence of ``type_name``; ``params`` are the spec keys it reads."""

        def register(function):
            self.evaluators[type_name] = EvaluatorSpec(
                function, frozenset(params) | {"type", "levels", "warn_days"}, frozenset(required)
            )
            return function

        return register

    def loader(self, name: str):
        """Registers how to load dataset ``name`` for a list of houses: a dict from house id to the house's data."""

        def register(function):
            self.loaders[name] = function
            return function

        return register

    def evaluate(self, spec: dict, context: "HouseContext") -> Evidence:
        return self.evaluators[spec["type"]].function(spec, context)


class EvidenceData:
    """Datasets for a set of houses, each loaded on first use with a constant number of queries."""

    def __init__(self, registry: Registry, houses: list, on: date):
        self.registry, self.houses, self.on = registry, houses, on
        self._loaded: dict[str, dict[int, Any]] = {}

    def get(self, name: str, house_id: int, default=None):
        if name not in self._loaded:
            self._loaded[name] = self.registry.loaders[name](self.houses, self.on)
        return self._loaded[name].get(house_id, default)


@dataclass
class HouseContext:
    house: Any
    on: date
    data: EvidenceData

    @property
    def level(self) -> int | None:
        return self.house.narr_level

    def get(self, name: str, default=None):
        return self.data.get(name, self.house.pk, default)


registry = Registry()
