"""The NARR Standard 3.0 evidence map (``narr_standard_3_0.json``), loaded and checked once.

The map is data under version control: which rules Hearth can evidence, at which levels, and with what. A map that
names an unknown evidence type, a parameter its evaluator does not read, or a level outside 1 to 4 stops start-up
instead of silently judging a rule wrong.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .evidence import registry
from .models import DocumentKind

MAP_PATH = Path(__file__).with_name("narr_standard_3_0.json")
RULE_ID = re.compile(r"^[1-4]\.[A-J]\.\d{1,2}\.[a-z]$")


@dataclass(frozen=True)
class Rule:
    id: str
    domain: str
    title: str
    description: str
    levels: tuple[int, ...]
    evidence: tuple[dict, ...]

    def applies_to(self, level: int | None) -> bool:
        return level in self.levels


@dataclass(frozen=True)
class Standard:
    version: str
    about: str
    rules: tuple[Rule, ...]


def _check_spec(rule_id: str, spec: dict) -> None:
    where = f"{MAP_PATH.name}, rule {rule_id}"
    kind = spec.get("type")
    if kind not in registry.evaluators:
        raise ImproperlyConfigured(f"{where}: unknown evidence type {kind!r}.")
    evaluator = registry.evaluators[kind]
    unknown = set(spec) - evaluator.params
    if unknown:
        raise ImproperlyConfigured(f"{where}: {kind} does not take {', '.join(sorted(unknown))}.")
    missing = evaluator.required - set(spec)
    if missing:
        raise ImproperlyConfigured(f"{where}: {kind} needs {', '.join(sorted(missing))}.")
    if "kind" in spec and spec["kind"] not in DocumentKind.values:
        raise ImproperlyConfigured(f"{where}: unknown document kind {spec['kind']!r}.")
    for name in ("within_days", "max_age_days", "weeks", "warn_days"):
        if name in spec and not (isinstance(spec[name], int) and spec[name] > 0):
            raise ImproperlyConfigured(f"{where}: {name} must be a whole number above zero.")


def parse(raw: dict) -> Standard:
    rules, seen = [], set()
    for entry in raw.get("rules", []):
        rule_id = entry.get("id", "")
        if not RULE_ID.match(rule_id) or rule_id in seen:
            raise ImproperlyConfigured(f"{MAP_PATH.name}: bad or repeated rule id {rule_id!r}.")
        seen.add(rule_id)
        levels = tuple(entry.get("levels", ()))
        if not levels or not set(levels) <= {1, 2, 3, 4}:
            raise ImproperlyConfigured(f"{MAP_PATH.name}, rule {rule_id}: levels must be among 1, 2, 3, 4.")
        for field in ("domain", "title", "description"):
            if not str(entry.get(field, "")).strip():
                raise ImproperlyConfigured(f"{MAP_PATH.name}, rule {rule_id}: {field} is empty.")
        evidence = tuple(entry.get("evidence", ()))
        if not evidence:
            raise ImproperlyConfigured(f"{MAP_PATH.name}, rule {rule_id}: no evidence listed.")
        for spec in evidence:
            _check_spec(rule_id, spec)
        rules.append(Rule(rule_id, entry["domain"], entry["title"], entry["description"], levels, evidence))
    if not raw.get("version"):
        raise ImproperlyConfigured(f"{MAP_PATH.name}: no version.")
    return Standard(raw["version"], raw.get("about", ""), tuple(rules))


@cache
def standard() -> Standard:
    with MAP_PATH.open(encoding="utf-8") as handle:
        return parse(json.load(handle))
