"""The project's routes, walked from the root URLconf, for the architecture tests."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    route: str  # as ``ResolverMatch.route`` spells it, e.g. "api/v1/houses/(?P<pk>[^/.]+)/$"
    pattern: URLPattern

    @property
    def view_class(self):
        return getattr(self.pattern.callback, "cls", None)

    @property
    def actions(self) -> dict:
        """A viewset route's HTTP methods and the actions they run ({} for a plain view)."""
        return getattr(self.pattern.callback, "actions", None) or {}

    @property
    def label(self) -> str:
        view = self.view_class or self.pattern.callback
        return f"/{self.route} ({view.__module__}.{view.__qualname__})"


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, URLResolver._join_route(prefix, str(pattern.pattern)))
        else:
            yield Route(URLResolver._join_route(prefix, str(pattern.pattern)), pattern)


def all_routes() -> list[Route]:
    """Every route, without DRF's ``.json``-style format-suffix twins (the same view as the route beside them)."""
    return [route for route in _walk(get_resolver().url_patterns) if "<drf_format_suffix:" not in route.route
            and "(?P<format>" not in route.route]  # fmt: skip


def api_routes() -> list[Route]:
    return [route for route in all_routes() if route.route.startswith("api/v1/")]


def api_view_classes() -> list[type]:
    """Each class routed under /api/v1/, once, in route order."""
    seen = {}
    for route in api_routes():
        if route.view_class is not None:
            seen.setdefault(route.view_class, None)
    return list(seen)
