"""Staff set the language a resident reads: on the resident's page (the profile form) and through the API."""

import pytest

from residents.models import Resident


@pytest.fixture
def housed(resident_member) -> Resident:
    return resident_member.resident


def _profile(resident, **changes):
    data = {
        "legal_first_name": resident.legal_first_name, "legal_last_name": resident.legal_last_name,
        "payer": resident.payer,
    }  # fmt: skip
    return data | changes


def test_a_manager_sets_a_residents_language_on_the_profile_form(page, manager, housed):
    data = _profile(housed, preferred_language="es")
    response = page(manager).submit(f"/dashboard/residents/{housed.pk}/", data, button="Save profile")
    assert response.status_code == 302
    housed.refresh_from_db()
    assert housed.preferred_language == "es"


def test_the_profile_form_offers_english_and_spanish(page, manager, housed):
    form = page(manager).get(f"/dashboard/residents/{housed.pk}/").context["profile_form"]
    assert [value for value, _label in form.fields["preferred_language"].choices] == ["en", "es"]


def test_the_api_shows_a_residents_language(api, manager, housed):
    assert api(manager).get(f"/api/v1/residents/{housed.pk}/").json()["preferred_language"] == "en"


def test_staff_set_a_residents_language_through_the_api(api, manager, housed):
    response = api(manager).patch(f"/api/v1/residents/{housed.pk}/", {"preferred_language": "es"}, format="json")
    assert response.status_code == 200
    housed.refresh_from_db()
    assert housed.preferred_language == "es"


def test_the_api_refuses_a_language_hearth_does_not_speak(api, manager, housed):
    response = api(manager).patch(f"/api/v1/residents/{housed.pk}/", {"preferred_language": "fr"}, format="json")
    assert response.status_code == 400
    assert "preferred_language" in response.json()
    housed.refresh_from_db()
    assert housed.preferred_language == "en"
