"""The OpenAPI schema tells the whole truth: besides each endpoint's success, the errors it can answer.

Every API error has one shape (``accounts.api_errors``): ``{"detail": "..."}`` for the request as a whole, or each
field's name with its messages. ``AutoSchema`` documents the errors every endpoint of a kind can answer (bad input,
not signed in, not allowed, not found, a conflict on a write, too many attempts); an endpoint that can answer
another (a 503 when online payment is not set up) declares it with ``@extend_schema`` and ``error_response``.
``.ci/fuzz`` holds the running API to this schema with schemathesis.
"""

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "What went wrong: `detail` for the request as a whole, or each field's name with its messages "
        '(`{"due_on": ["Enter a valid date."]}`).'
    ),
    "properties": {"detail": {"type": "string", "description": "A sentence for a person to read"}},
    "additionalProperties": True,
}


class ApiError(serializers.Serializer):
    """Stands for the error body in ``@extend_schema(responses=...)``; its schema is ``ERROR_SCHEMA``."""


class ApiErrorExtension(OpenApiSerializerExtension):
    target_class = ApiError

    def get_name(self, auto_schema, direction):
        return "Error"

    def map_serializer(self, auto_schema, direction):
        return dict(ERROR_SCHEMA)


def error_response(description: str) -> OpenApiResponse:
    """An error an endpoint answers besides the ones ``AutoSchema`` documents for every endpoint of its kind."""
    return OpenApiResponse(ApiError, description=description)


# Online payment talks to Stripe: these endpoints answer 503 when the deployment has no Stripe key (or the
# organization cannot take charges yet) and 502 when Stripe fails.
STRIPE_ERRORS = {
    502: error_response("Stripe failed; try again in a moment."),
    503: error_response("Online payment is not set up for this organization yet."),
}


def staff_or_resident(name: str, *, staff, resident, many: bool = False) -> PolymorphicProxySerializer:
    """A response that is ``staff``'s shape for staff and ``resident``'s trimmed shape for a resident.

    The resident's shape is closed (``ClosedSchema``), so a staff object never also reads as a resident's one."""
    return PolymorphicProxySerializer(
        component_name=name, serializers=[staff, resident], resource_type_field_name=None, many=many
    )


@extend_schema_field({"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "22:00"})
class ClockTimeField(serializers.TimeField):
    """A time of day as ``HH:MM`` (a curfew), not OpenAPI's ``format: time`` (``22:00:00`` with seconds)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


@extend_schema_field({"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])$", "example": "2026-10"})
class YearMonthField(serializers.DateField):
    """A month as ``YYYY-MM`` (stored as its first day), not OpenAPI's ``format: date``."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


class ClosedSchema:
    """A serializer whose response schema admits no other property (``additionalProperties: false``): a resident's
    trimmed object, told apart from the staff object it is cut from."""

    closed_schema = True


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code, description in self._errors(operation):
            responses.setdefault(str(code), self._error_body(description))
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _errors(self, operation):
        parameters = operation.get("parameters", [])
        if parameters or "requestBody" in operation:
            yield 400, "The input is not valid; the body names each field at fault."
        if "requestBody" in operation:
            yield 415, "The body is not in a media type this endpoint reads."
        if any(requirement for requirement in operation.get("security", [])):
            yield 401, "The token is missing, unknown or expired."
            yield 403, "Not allowed for this login's role, or the login belongs to no organization."
        if any(p["in"] == "path" for p in parameters) or any(p["name"] == "page" for p in parameters):
            yield 404, "No such record among those this login may see (or no such page)."
        if self.method in WRITE_METHODS:
            yield 409, "The change conflicts with the record's current state or with another record."
        if self.view.get_throttles():
            yield 429, "Too many attempts; wait before trying again."

    def _error_body(self, description):
        component = self.resolve_serializer(ApiError, "response")
        return {"description": description, "content": {"application/json": {"schema": component.ref}}}

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response" and getattr(serializer, "closed_schema", False):
            schema["additionalProperties"] = False
        return schema
