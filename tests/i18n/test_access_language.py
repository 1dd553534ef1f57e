"""Who reaches the language routes: the switch (``/language/<code>/``) is open to everyone, signed in or not, since it
only sets a cookie in the asker's own browser; "Your language" (``/accounts/language/``) is every signed-in person's
own page, whatever their role or organization; signed out, it asks them to sign in."""

import pytest

from tests.forms import FormClient

pytestmark = pytest.mark.django_db

ROLES = ["operator", "manager", "resident_member", "outsider"]

# (path, what each role gets); "anonymous" is nobody signed in.
PAGES = [
    ("/language/es/", {"operator": 302, "manager": 302, "resident_member": 302, "outsider": 302, "anonymous": 302}),
    ("/accounts/language/", {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200, "anonymous": 302}),
]  # fmt: skip


def _client(request, role):
    if role == "anonymous":
        return FormClient()
    client = FormClient()
    client.force_login(request.getfixturevalue(role).user)
    return client


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
@pytest.mark.parametrize(("path", "expected"), PAGES, ids=[path for path, _ in PAGES])
def test_each_role_reaches_the_language_routes_as_the_matrix_says(request, role, path, expected):
    client = _client(request, role)
    response = client.get(path)
    assert response.status_code == expected[role]


def test_signed_out_your_language_sends_to_the_sign_in_page(client):
    response = client.get("/accounts/language/")
    assert response["Location"].startswith("/accounts/login/")
