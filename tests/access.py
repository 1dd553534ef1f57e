"""Helpers for the access matrices: one row per endpoint, tried as every role against a world of objects."""


def fill(value, world: dict):
    """Replaces each ``"{name}"`` (a whole string, also inside lists and dicts) by ``world[name]``: its pk for a
    model instance, else the value itself."""
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        found = world[value[1:-1]]
        return getattr(found, "pk", found)
    if isinstance(value, list):
        return [fill(item, world) for item in value]
    if isinstance(value, dict):
        return {key: fill(item, world) for key, item in value.items()}
    return value


def request_as(client, method: str, path: str, body, world: dict):
    """Sends one matrix row through an API client, the path's and body's placeholders filled from ``world``."""
    url = path.format(**{name: getattr(found, "pk", found) for name, found in world.items()})
    return getattr(client, method)(url, fill(body, world), format="json")
