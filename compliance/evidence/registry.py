"""The evidence registry: each evidence type of the NARR map is judged by one function, from data loaded once.

An evaluator takes the evidence spec from the map (``{"type": "document", "kind": "refund_policy"}``) and a
``HouseContext`` and returns an ``Evidence``. Evaluators never query: they ask the context for a dataset by name,
and each dataset is loaded for all houses being judged in one or two queries the first time any evaluator asks.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

MET = "met"
EXPIRING = "expiring"
EXPIRED = "expired"
MISSING = "missing"
NOT_APPLICABLE = "not_applicable"
STATUSES = (MET, EXPIRING, EXPIRED, MISSING, NOT_APPLICABLE)
STATUS_LABELS = {
    MET: "Met",
    EXPIRING: "Expiring",
    EXPIRED: "Expired",
    MISSING: "Missing",
    NOT_APPLICABLE: "Not applicable",
}
STATUS_CHOICES = list(STATUS_LABELS.items())
# How bad a status is, for a rule with several pieces of evidence: the worst one wins.
SEVERITY = {NOT_APPLICABLE: 0, MET: 1, EXPIRING: 2, MISSING: 3, EXPIRED: 4}


@dataclass
class Evidence:
    type: str
    status: str
    note: str = ""
    valid_until: date | None = None
    links: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "type": self.type,
            "status": self.status,
            "note": self.note,
            "valid_until": self.valid_until,
            "links": self.links,
        }


def dated_status(valid_until: date | None, on: date, warn_days: int) -> str:
    """Met while valid; expiring within ``warn_days`` of the last valid day; expired after it."""
    if valid_until is None:
        return MET
    if valid_until < on:
        return EXPIRED
    if (valid_until - on).days <= warn_days:
        return EXPIRING
    return MET


def worst(statuses) -> str:
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
