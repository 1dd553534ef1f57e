"""Every API route and every page has a row in an access matrix (``tests/access.py`` lists the matrices), so a new
endpoint or page cannot ship without a test of who may reach it. The routes left out are listed here, each with why."""

import re

from django.urls import Resolver404, resolve

from tests.access import MATRIX_MODULES, matrix_paths

from .routes import all_routes

# Routes no role matrix applies to: (route, why).
UNMATRIXED = {
    "admin/": "Django admin: staff users only, guarded by the admin site itself",
    "api/schema/": "the OpenAPI schema: describes endpoints, holds no rows",
    "api/docs/": "Swagger UI over the schema: no rows",
    "api/v1/": "the API root lists the endpoints: no rows",
    "api/v1/auth/token/": "signing in for a token: open to anyone with a password, by design",
    "billing/stripe/webhook/": "Stripe's webhook: authenticated by its signature, not by a member's role",
    "accounts/login/": "signing in",
    "accounts/logout/": "signing out",
    "accounts/password_reset/": "password reset: open to anyone, by design",
    "accounts/password_reset/done/": "password reset: open to anyone, by design",
    "accounts/reset/<uidb64>/<token>/": "password reset: the e-mailed token is the credential",
    "accounts/reset/done/": "password reset: open to anyone, by design",
    "accounts/password_change/": "the signed-in user's own password",
    "accounts/password_change/done/": "the signed-in user's own password",
    "accounts/organization/": "switching among the signed-in user's own memberships",
    "accounts/invitations/<str:token>/": "accepting an invitation: the e-mailed token is the credential",
    "accounts/two-factor/": "the signed-in user's own second factor",
    "accounts/security/": "the signed-in user's own second factor",
    "accounts/security/setup/": "the signed-in user's own second factor",
    "accounts/security/setup/start/": "the signed-in user's own second factor",
    "accounts/security/recovery-codes/": "the signed-in user's own second factor",
    "accounts/security/turn-off/": "the signed-in user's own second factor",
}
# Values tried for a placeholder, in order, until the path resolves (most routes take an integer id).
PLACEHOLDER_VALUES = ["1", "00000000-0000-4000-8000-000000000001", "a"]


def _route_of(path: str) -> str | None:
    path = path.split("?", 1)[0]
    for value in PLACEHOLDER_VALUES:
        try:
            return resolve(re.sub(r"\{[^}]*\}", value, path)).route
        except Resolver404:
            continue
    return None


def _covered() -> tuple[set[str], list[str]]:
    covered, unresolved = set(), []
    for module, path in matrix_paths():
        route = _route_of(path)
        if route is None:
            unresolved.append(f"{module}: {path}")
        else:
            covered.add(route)
    return covered, unresolved


def _needing_rows():
    """Every route but those listed in ``UNMATRIXED`` (the admin with all its pages)."""
    return [route for route in all_routes() if route.route not in UNMATRIXED and not route.route.startswith("admin/")]


def test_every_api_route_and_page_has_a_row_in_an_access_matrix():
    covered, _unresolved = _covered()
    missing = [route.label for route in _needing_rows() if route.route not in covered]
    assert not missing, "no row in any access matrix (tests/access.py MATRIX_MODULES):\n" + "\n".join(missing)


def test_every_access_matrix_row_names_a_route_that_exists():
    _covered_routes, unresolved = _covered()
    assert not unresolved, "these matrix rows match no route:\n" + "\n".join(unresolved)


def test_every_route_left_out_of_the_matrices_still_exists():
    routes = {route.route for route in all_routes()}
    assert set(UNMATRIXED) <= routes, sorted(set(UNMATRIXED) - routes)


def test_the_registry_lists_every_matrix_module():
    assert len(set(MATRIX_MODULES)) == len(MATRIX_MODULES)
    assert all(paths for paths in _paths_by_module().values())


def _paths_by_module():
    found = {name: [] for name in MATRIX_MODULES}
    for module, path in matrix_paths():
        found[module].append(path)
    return found
