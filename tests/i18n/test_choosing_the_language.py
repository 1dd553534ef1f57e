"""Choosing the language: signed out, the switch (else the browser's Accept-Language); signed in, the person's own
choice on "Your language" (or PATCH /api/v1/me/), whatever the browser says; API tokens answer in their user's
language."""

import lxml.html
import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from accounts.exceptions import Invalid
from accounts.models import User
from accounts.services import set_preferred_language
from accounts.tokens import token_create
from tests.factories import PASSWORD, MembershipFactory
from tests.forms import FormClient

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def _switch_link(page: str, text: str):
    links = lxml.html.fromstring(page).cssselect(".language-switch a")
    return next(link for link in links if link.text_content().strip() == text)


def _follow_switch(client, path: str, text: str):
    """Loads ``path``, takes the switch's link named ``text`` from the page and follows it as a browser does."""
    href = _switch_link(_text(client.get(path)), text).get("href")
    return client.get(href, follow=True)


def test_the_sign_in_page_shows_a_switch_to_english_and_spanish(client):
    page = _text(client.get("/accounts/login/"))
    assert 'class="language-switch"' in page
    assert _switch_link(page, "English").get("hreflang") == "en"
    assert _switch_link(page, "Español").get("lang") == "es"


def test_the_switch_marks_the_language_being_read_as_current(client):
    page = _text(client.get("/accounts/login/"))
    assert _switch_link(page, "English").get("aria-current") == "true"
    assert _switch_link(page, "Español").get("aria-current") is None


def test_the_switch_turns_the_sign_in_page_spanish_through_its_link():
    response = _follow_switch(Client(), "/accounts/login/", "Español")
    assert response.redirect_chain == [("/accounts/login/", 302)]
    page = _text(response)
    assert "<h1>Iniciar sesión</h1>" in page
    assert '<html lang="es">' in page


def test_the_switch_back_to_english_is_on_the_spanish_page_too():
    browser = Client()
    _follow_switch(browser, "/accounts/login/", "Español")
    response = _follow_switch(browser, "/accounts/login/", "English")
    assert "<h1>Sign in</h1>" in _text(response)


def test_the_switch_keeps_the_query_of_the_page_it_was_on():
    response = _follow_switch(Client(), "/accounts/login/?next=/dashboard/", "Español")
    assert response.redirect_chain == [("/accounts/login/?next=/dashboard/", 302)]


def test_the_switch_sets_a_lax_language_cookie(client):
    response = client.get("/language/es/?next=/accounts/login/")
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert (cookie.value, cookie["samesite"]) == ("es", "Lax")


def test_the_switch_never_sends_anyone_to_another_site(client):
    response = client.get("/language/es/", {"next": "https://evil.example/"})
    assert (response.status_code, response["Location"]) == (302, "/")


def test_the_switch_without_a_next_returns_to_the_front_page(client):
    assert client.get("/language/es/")["Location"] == "/"


def test_the_switch_knows_no_language_hearth_does_not_speak(client):
    response = client.get("/language/fr/?next=/accounts/login/")
    assert response.status_code == 404
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_a_browser_asking_for_spanish_gets_the_signed_out_pages_in_spanish():
    response = Client(HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5").get("/accounts/password_reset/")
    assert "<h1>Restablecer su contraseña</h1>" in _text(response)


def test_a_browser_asking_for_english_gets_english(client):
    response = client.get("/accounts/password_reset/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert "<h1>Reset your password</h1>" in _text(response)


def test_a_signed_in_persons_own_language_beats_the_browsers(operator):
    set_preferred_language(operator.user, "es")
    browser = Client(HTTP_ACCEPT_LANGUAGE="en-US")
    browser.force_login(operator.user)
    page = _text(browser.get("/accounts/security/"))
    assert "<h1>Seguridad de la cuenta</h1>" in page


def test_a_signed_in_english_reader_stays_english_in_a_spanish_browser(operator):
    browser = Client(HTTP_ACCEPT_LANGUAGE="es")
    browser.force_login(operator.user)
    assert "<h1>Account security</h1>" in _text(browser.get("/accounts/security/"))


def test_signed_in_staff_choose_their_language_on_your_language(page, operator):
    browser = page(operator)
    assert 'href="/accounts/language/"' in _text(browser.get("/dashboard/"))
    response = browser.submit("/accounts/language/", {"language": "es"}, follow=True)
    operator.user.refresh_from_db()
    assert operator.user.preferred_language == "es"
    assert "Hearth ahora le habla en su idioma." in _text(response)
    assert '<h1 id="language-heading">Su idioma</h1>' in _text(response)


def test_the_service_refuses_a_language_hearth_does_not_speak(operator):
    with pytest.raises(Invalid):
        set_preferred_language(operator.user, "fr")
    operator.user.refresh_from_db()
    assert operator.user.preferred_language == "en"


def test_the_api_shows_and_sets_the_callers_language(api, manager):
    client = api(manager)
    assert client.get("/api/v1/me/").json()["preferred_language"] == "en"
    response = client.patch("/api/v1/me/", {"preferred_language": "es"}, format="json")
    assert response.status_code == 200
    assert response.json()["preferred_language"] == "es"
    assert User.objects.get(pk=manager.user.pk).preferred_language == "es"


def test_the_api_refuses_a_language_hearth_does_not_speak(api, manager):
    response = api(manager).patch("/api/v1/me/", {"preferred_language": "fr"}, format="json")
    assert response.status_code == 400
    assert "preferred_language" in response.json()


def _token_client(membership) -> APIClient:
    _token, key = token_create(user=membership.user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_X_ORGANIZATION=membership.organization.slug)
    return client


def test_an_api_token_answers_an_error_in_its_users_language():
    member = MembershipFactory(user__preferred_language="es")
    response = _token_client(member).patch("/api/v1/me/", {"colour": "blue"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"colour": ["Campo desconocido."]}


def test_an_api_token_of_an_english_reader_answers_in_english_whatever_the_header():
    member = MembershipFactory()
    client = _token_client(member)
    response = client.patch("/api/v1/me/", {"colour": "blue"}, format="json", HTTP_ACCEPT_LANGUAGE="es")
    assert response.json() == {"colour": ["Unknown field."]}


def test_a_spanish_reader_signs_in_and_reads_spanish(client):
    member = MembershipFactory(user__preferred_language="es", user__email="lectora@example.org")
    browser = FormClient()
    response = browser.submit(
        "/accounts/login/", {"username": member.user.email, "password": PASSWORD}, form="main form", follow=True
    )
    assert '<html lang="es">' in _text(response)
