"""An e-mail address longer than the 254 characters its column holds is a mistake beside the field, never a server
error (PostgreSQL refuses the longer value; SQLite would store it)."""

import pytest

from .test_apply import ANSWERS, nothing_written

pytestmark = pytest.mark.django_db

# 312 characters, and a well-formed address otherwise.
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".com"


def test_an_email_over_254_characters_is_shown_beside_its_field_and_writes_nothing(visitor, listing):
    response = visitor.submit("/v/second-wind/maple-house/apply/", {**ANSWERS, "email": LONG_EMAIL, "phone": ""})

    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_email_error"' in body
    assert "Ensure this value has at most 254 characters (it has 312)." in body
    assert nothing_written()


@pytest.mark.postgres
def test_an_email_over_254_characters_is_a_400_on_postgresql(visitor, listing):
    response = visitor.submit("/v/second-wind/maple-house/apply/", {**ANSWERS, "email": LONG_EMAIL})

    assert response.status_code == 400
    assert nothing_written()


def test_the_email_field_tells_the_browser_its_length(visitor, listing):
    assert 'maxlength="254"' in visitor.get("/v/second-wind/maple-house/apply/").content.decode()
