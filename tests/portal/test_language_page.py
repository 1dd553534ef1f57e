"""The portal's "Idioma / Language" page: the resident chooses English or Español; the choice is saved on their login
(pages, e-mails) and on their resident record (receipts, statements, rules) together, and the portal speaks it."""

from unittest import mock

import pytest

from accounts.exceptions import Invalid
from tests.pages.portal_factories import portal_client

from .spanish_factories import reads_spanish

STAFF = ["operator", "manager", "outsider"]
ROLES = ["operator", "manager", "resident_member", "outsider"]
PAGES = ["/portal/language/"]  # each tried by every role below (tests/access.py reads it)


@pytest.mark.parametrize("role", STAFF)
def test_staff_cannot_open_the_language_page(request, role, resident_member):
    assert portal_client(request.getfixturevalue(role)).get("/portal/language/").status_code == 403


def test_a_resident_opens_the_language_page_with_their_language_chosen(resident_member):
    reads_spanish(resident_member)
    response = portal_client(resident_member).get("/portal/language/")
    assert response.status_code == 200
    assert response.context["form"]["language"].value() == "es"


def test_an_anonymous_visitor_is_sent_to_login_from_the_language_page(client, db):
    response = client.get("/portal/language/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_choosing_espanol_sets_the_login_and_the_resident_record_to_spanish(resident_member):
    portal_client(resident_member).submit("/portal/language/", {"language": "es"}, button="Save")
    resident_member.user.refresh_from_db()
    resident_member.resident.refresh_from_db()
    assert (resident_member.user.preferred_language, resident_member.resident.preferred_language) == ("es", "es")


def test_after_choosing_espanol_the_portal_speaks_spanish(resident_member):
    response = portal_client(resident_member).submit(
        "/portal/language/", {"language": "es"}, button="Save", follow=True
    )
    page = response.content.decode()
    assert "Desde ahora Hearth le habla en español." in page
    assert "El idioma que usted lee" in page


def test_choosing_english_again_sets_both_back_to_english(resident_member):
    reads_spanish(resident_member)
    response = portal_client(resident_member).submit("/portal/language/", {"language": "en"}, button="Guardar")
    assert response.status_code == 302
    resident_member.user.refresh_from_db()
    resident_member.resident.refresh_from_db()
    assert (resident_member.user.preferred_language, resident_member.resident.preferred_language) == ("en", "en")


def test_the_login_and_the_record_change_together_or_not_at_all(resident_member):
    refusal = Invalid("Could not save", field="preferred_language")
    with mock.patch("residents.portal.services.Resident.save", side_effect=refusal):
        response = portal_client(resident_member).submit("/portal/language/", {"language": "es"}, button="Save")
    assert response.status_code == 400
    resident_member.user.refresh_from_db()
    resident_member.resident.refresh_from_db()
    assert (resident_member.user.preferred_language, resident_member.resident.preferred_language) == ("en", "en")
