"""Stripe's request parameters, checked as Stripe checks them, for the local stand-in (``conftest.stripe_stand_in``).

The source of truth is the params types the installed stripe-python library ships for every endpoint (TypedDicts
generated from Stripe's OpenAPI spec, e.g. ``stripe.params.checkout.SessionCreateParams``). ``problems()`` walks the
form-encoded keys of a request (``line_items[0][price_data][unit_amount]``, ``metadata[x]``, ``expand[0]``,
``expand[]``) down that tree and reports what Stripe answers 400 for: an unknown parameter, a missing required one, a
value that is not an integer or a boolean where one is declared, and a value outside a declared enum.

Enums: stripe-python declares most of them ``Literal[...] | str`` so that new values Stripe adds do not break typed
code; the API itself refuses a value outside the enum, so a ``str`` next to non-empty literals is read as the enum.
``Literal['']`` next to a type is Stripe's "unset this field" and is accepted as the empty string.
"""

import re
import sys
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import NotRequired, Required

import stripe.params as params
import stripe.params.checkout as checkout
from stripe._request_options import RequestOptions
from stripe._stripe_object import UntypedStripeObject
from typing_extensions import is_typeddict

# The request options (``idempotency_key``, ``stripe_account``...) every top-level params type inherits: they travel
# as headers, never as parameters.
OPTIONS = RequestOptions.__annotations__

# Each Stripe endpoint Hearth may call: (HTTP method, path pattern, a sample path it matches, the params type). The
# stand-in checks every request to one of these before its route runs; a route added to ``conftest.ROUTES`` needs
# its line here (``test_every_stand_in_route_is_checked_against_stripes_parameters`` says which).
ID = r"[A-Za-z0-9_]+"
ENDPOINTS: list[tuple[str, re.Pattern, str, type]] = [
    (method, re.compile(pattern), sample, kind)
    for method, pattern, sample, kind in [
        ("POST", r"/v1/customers", "/v1/customers", params.CustomerCreateParams),
        ("GET", rf"/v1/customers/{ID}", "/v1/customers/cus_1", params.CustomerRetrieveParams),
        ("POST", rf"/v1/customers/{ID}", "/v1/customers/cus_1", params.CustomerUpdateParams),
        ("POST", r"/v1/checkout/sessions", "/v1/checkout/sessions", checkout.SessionCreateParams),
        ("GET", rf"/v1/checkout/sessions/{ID}", "/v1/checkout/sessions/cs_1", checkout.SessionRetrieveParams),
        (
            "POST",
            rf"/v1/checkout/sessions/{ID}/expire",
            "/v1/checkout/sessions/cs_1/expire",
            checkout.SessionExpireParams,
        ),
        ("POST", r"/v1/refunds", "/v1/refunds", params.RefundCreateParams),
        ("GET", rf"/v1/refunds/{ID}", "/v1/refunds/re_1", params.RefundRetrieveParams),
        ("POST", r"/v1/accounts", "/v1/accounts", params.AccountCreateParams),
        ("GET", rf"/v1/accounts/{ID}", "/v1/accounts/acct_1", params.AccountRetrieveParams),
        ("POST", r"/v1/account_links", "/v1/account_links", params.AccountLinkCreateParams),
        ("POST", r"/v1/payment_intents", "/v1/payment_intents", params.PaymentIntentCreateParams),
        ("GET", rf"/v1/payment_intents/{ID}", "/v1/payment_intents/pi_1", params.PaymentIntentRetrieveParams),
        (
            "POST",
            rf"/v1/payment_intents/{ID}/cancel",
            "/v1/payment_intents/pi_1/cancel",
            params.PaymentIntentCancelParams,
        ),
        ("GET", rf"/v1/setup_intents/{ID}", "/v1/setup_intents/seti_1", params.SetupIntentRetrieveParams),
        ("GET", rf"/v1/payment_methods/{ID}", "/v1/payment_methods/pm_1", params.PaymentMethodRetrieveParams),
        (
            "POST",
            rf"/v1/payment_methods/{ID}/detach",
            "/v1/payment_methods/pm_1/detach",
            params.PaymentMethodDetachParams,
        ),
        ("GET", rf"/v1/charges/{ID}", "/v1/charges/ch_1", params.ChargeRetrieveParams),
        ("GET", rf"/v1/disputes/{ID}", "/v1/disputes/dp_1", params.DisputeRetrieveParams),
        ("GET", rf"/v1/events/{ID}", "/v1/events/evt_1", params.EventRetrieveParams),
    ]
]


@dataclass(frozen=True)
class Problem:
    """One reason Stripe refuses a request, with the parameter it names."""

    param: str
    message: str
    code: str = ""

    def as_error(self) -> dict:
        """The body Stripe answers with (HTTP 400)."""
        error = {"type": "invalid_request_error", "param": self.param, "message": self.message}
        if self.code:
            error["code"] = self.code
        return {"error": error}


def params_type(method: str, path: str) -> type | None:
    """The params type of the endpoint ``method path``, or None for an endpoint not listed in ``ENDPOINTS``."""
    return next((kind for verb, pattern, _, kind in ENDPOINTS if verb == method and pattern.fullmatch(path)), None)


def refusal(method: str, path: str, form: Mapping[str, str]) -> dict | None:
    """Stripe's 400 body for a request to a listed endpoint whose parameters Stripe refuses, else None."""
    kind = params_type(method, path)
    if kind is None:
        return None
    found = problems(kind, form)
    return found[0].as_error() if found else None


def problems(kind: type, form: Mapping[str, str]) -> list[Problem]:
    """What Stripe would refuse in the form-encoded parameters ``form`` (key: value, as sent) for the params type
    ``kind``."""
    tree: dict = {}
    found: list[Problem] = []
    for key, value in form.items():
        match = re.fullmatch(r"([^\[\]]+)((?:\[[^\[\]]*\])*)", key)
        if match is None:
            found.append(Problem(key, f"Received unknown parameter: {key}", "parameter_unknown"))
            continue
        path = [match[1], *re.findall(r"\[([^\[\]]*)\]", match[2])]
        node = tree
        for depth, segment in enumerate(path[:-1]):
            node = node.setdefault(segment, {})
            if not isinstance(node, dict):
                found.append(Problem(_name(path[: depth + 1]), f"Invalid {_name(path[: depth + 1])}"))
                break
        else:
            if isinstance(node.get(path[-1]), dict):
                found.append(Problem(key, f"Invalid {key}"))
            else:
                node[path[-1]] = value
    return found + _check_object(tree, kind, [], top=True)


def _name(path: list[str]) -> str:
    return path[0] + "".join(f"[{segment}]" for segment in path[1:])


@cache
def _fields(kind: type, *, top: bool) -> tuple[dict[str, object], frozenset[str]]:
    """The declared parameters of the TypedDict ``kind`` (resolved types, request options left out) and the required
    ones."""
    namespace = {**vars(typing), **vars(sys.modules[kind.__module__])}
    fields = {}
    for key, annotation in kind.__annotations__.items():
        if top and OPTIONS.get(key) is annotation:
            continue
        fields[key] = _resolve(annotation, namespace)
    return fields, frozenset(kind.__required_keys__) & fields.keys()


def _resolve(annotation, namespace: dict):
    """``annotation`` with its forward references evaluated and NotRequired/Required dropped."""
    if isinstance(annotation, str):
        annotation = eval(annotation, namespace)  # noqa: S307 -- stripe-python's own annotations
    if isinstance(annotation, typing.ForwardRef):
        annotation = eval(annotation.__forward_arg__, namespace)  # noqa: S307
    origin = typing.get_origin(annotation)
    if origin in (NotRequired, Required, typing.Annotated):
        return _resolve(typing.get_args(annotation)[0], namespace)
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_resolve(arg, namespace) for arg in typing.get_args(annotation))]  # noqa: UP007
    if origin in (list, dict, Mapping) or (isinstance(origin, type) and issubclass(origin, UntypedStripeObject)):
        return origin[tuple(_resolve(arg, namespace) for arg in typing.get_args(annotation))]
    return annotation


def _options(annotation) -> list:
    if typing.get_origin(annotation) is typing.Union:
        return list(typing.get_args(annotation))
    return [annotation]


def _is_mapping(option) -> bool:
    origin = typing.get_origin(option) or option
    return origin in (dict, Mapping) or (isinstance(origin, type) and issubclass(origin, UntypedStripeObject))


def _check(node, annotation, path: list[str]) -> list[Problem]:
    options = _options(annotation)
    if isinstance(node, str):
        return _check_value(node, options, path)
    containers = [
        option
        for option in options
        if is_typeddict(option) or typing.get_origin(option) is list or _is_mapping(option) or option is typing.Any
    ]
    if not containers:
        return [Problem(_name(path), f"Invalid {_name(path)}: a single value is expected, not nested parameters")]
    attempts = [_check_container(node, option, path) for option in containers]
    return [] if [] in attempts else min(attempts, key=len)


def _check_container(node: dict, option, path: list[str]) -> list[Problem]:
    if option is typing.Any:
        return []
    if is_typeddict(option):
        return _check_object(node, option, path)
    if typing.get_origin(option) is list:
        (item,) = typing.get_args(option)
        found = []
        for index, child in node.items():
            if not (index == "" or index.isdigit()):
                found.append(Problem(_name([*path, index]), f"Invalid array index: {_name([*path, index])}"))
            else:
                found += _check(child, item, [*path, index])
        return found
    value_type = (typing.get_args(option) or (str, str))[-1]  # metadata: Dict[str, str]
    found = []
    for key, child in node.items():
        found += _check(child, value_type, [*path, key])
    return found


def _check_object(node: dict, kind: type, path: list[str], *, top: bool = False) -> list[Problem]:
    fields, required = _fields(kind, top=top)
    found = []
    for key, child in node.items():
        if key not in fields:
            name = _name([*path, key])
            found.append(Problem(name, f"Received unknown parameter: {name}", "parameter_unknown"))
        else:
            found += _check(child, fields[key], [*path, key])
    for key in sorted(required - node.keys()):
        name = _name([*path, key])
        found.append(Problem(name, f"Missing required param: {name}.", "parameter_missing"))
    return found


def _check_value(value: str, options: list, path: list[str]) -> list[Problem]:
    name = _name(path)
    literals = [
        literal for option in options if typing.get_origin(option) is typing.Literal for literal in option.__args__
    ]
    # stripe-python's ``Literal[...] | str`` is a closed enum at the API (see the module's docstring).
    closed = any(literal != "" for literal in literals)
    for option in options:
        if option is typing.Any or (option is str and not closed):
            return []
        if option is int and re.fullmatch(r"-?\d+", value):
            return []
        if option is float and re.fullmatch(r"-?\d+(\.\d+)?", value):
            return []
        if option is bool and value in ("true", "false"):
            return []
    if value in literals or any(str(literal).lower() == value for literal in literals if isinstance(literal, bool)):
        return []
    if closed:
        allowed = [str(literal) for literal in literals if literal != ""]
        listed = allowed[0] if len(allowed) == 1 else ", ".join(allowed[:-1]) + f", or {allowed[-1]}"
        return [Problem(name, f"Invalid {name}: must be one of {listed}")]
    if int in options:
        return [Problem(name, f"Invalid integer: {value}", "parameter_invalid_integer")]
    if bool in options:
        return [Problem(name, f"Invalid boolean: {value}")]
    if float in options:
        return [Problem(name, f"Invalid decimal: {value}")]
    kind = "array" if any(typing.get_origin(option) is list for option in options) else "hash"
    return [Problem(name, f"Invalid {kind}")]


def nested_types(kind: type) -> set[type]:
    """``kind`` and every params TypedDict reachable from it (each resolved, so a broken annotation raises here)."""
    seen: set[type] = set()
    waiting = [(kind, True)]
    while waiting:
        current, top = waiting.pop()
        if current in seen:
            continue
        seen.add(current)
        fields, _ = _fields(current, top=top)
        for annotation in fields.values():
            stack = [annotation]
            while stack:
                option = stack.pop()
                if is_typeddict(option):
                    waiting.append((option, False))
                elif typing.get_origin(option) is not typing.Literal:
                    stack.extend(arg for arg in typing.get_args(option) if not isinstance(arg, str))
    return seen
