"""The HSDS schema files of tests/vacancies/fixtures/hsds/ as validators, their $refs resolved among themselves
with a ``referencing`` registry built from the files."""

import json
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMAS = Path(__file__).parent.parent / "fixtures" / "hsds"
BASE = "https://hsds.test/schema/"


def _registry() -> Registry:
    resources = [
        (BASE + path.name, Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012))
        for path in SCHEMAS.glob("*.json")
    ]
    return Registry().with_resources(resources)


REGISTRY = _registry()
FORMATS = FormatChecker()


# jsonschema checks these two only with optional packages; the feed's answers are checked here without them.
@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value) -> bool:
    return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("uri", raises=ValueError)
def _uri(value) -> bool:
    parts = urlsplit(value) if isinstance(value, str) else None
    return parts is None or bool(parts.scheme and parts.netloc)


def validator(schema: dict) -> Draft202012Validator:
    return Draft202012Validator(schema, registry=REGISTRY, format_checker=FORMATS)


SERVICE = validator({"$ref": BASE + "service.json"})
CAPACITY = validator({"$ref": BASE + "service_capacity.json"})
# The list answer of openapi.json's /services: a Page whose contents are services.
PAGE = validator({
    "allOf": [{"$ref": BASE + "openapi.json#/components/schemas/Page"}],
    "required": ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"],
    "properties": {"contents": {"type": "array", "items": {"$ref": BASE + "service.json"}}},
})  # fmt: skip


def errors(check: Draft202012Validator, instance) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in check.iter_errors(instance)]
