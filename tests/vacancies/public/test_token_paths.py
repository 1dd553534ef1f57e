"""A private link's token is letters, digits, "-" and "_" (``vacancies.converters``): any other path under
/applications/, /offers/ or /r/ is a plain 404, never a query with a NUL character that PostgreSQL refuses."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ODD_PATHS = [
    "/applications/%00/",
    "/applications/%00/erase/",
    "/offers/%00/",
    "/r/%00/",
    "/r/%00/refer/",
    "/r/%00/referrals/",
    "/applications/a.b/",
    "/offers/" + "x" * 65 + "/",
]


@pytest.mark.parametrize("path", ODD_PATHS)
def test_a_path_that_is_no_token_is_a_404(visitor, path):
    assert visitor.get(path).status_code == 404


@pytest.mark.postgres
@pytest.mark.parametrize("path", ["/applications/%00/", "/applications/%00/erase/", "/offers/%00/", "/r/%00/"])
def test_a_nul_token_is_a_404_on_postgresql(visitor, path):
    assert visitor.get(path).status_code == 404


def test_a_posted_erase_with_a_nul_token_is_a_404(visitor):
    assert visitor.post("/applications/%00/erase/").status_code == 404


@pytest.mark.parametrize(
    "name", ["vacancies-public:application", "vacancies-offer:offer", "vacancies-partner:link-vacancies"]
)
def test_a_real_tokens_shape_still_makes_a_link(name):
    token = "Zq3-_x9" * 4  # secrets.token_urlsafe(24) gives 32 such characters

    assert token in reverse(name, kwargs={"token": token})
