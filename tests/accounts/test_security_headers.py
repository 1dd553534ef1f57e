"""Headers on every answer (Content-Security-Policy, Cache-Control, Permissions-Policy) and error answers in
production: JSON under /api/, the HTML pages elsewhere."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path

from config.middleware import SecurityHeadersMiddleware
from config.urls import handler400, handler403, handler404, handler500  # noqa: F401 (this module is a URLconf)
from config.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db


def _broken(request):
    raise RuntimeError("a bug nobody caught")


def _refused(request):
    raise PermissionDenied


# This module doubles as a URLconf: the site's routes and error handlers, plus views that fail on purpose.
urlpatterns = [
    path("api/v1/broken/", _broken),
    path("dashboard/broken/", _broken),
    path("api/v1/refused/", _refused),
    *site_urlpatterns,
]
production = override_settings(DEBUG=False, ROOT_URLCONF=__name__)


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: sources for name, *sources in (part.split() for part in policy.split(";") if part.strip())}


def _production_client() -> Client:
    client = Client()
    client.raise_request_exception = False
    return client


def test_pages_carry_a_content_security_policy_without_inline_scripts_or_styles(page, operator):
    directives = _directives(page(operator).get("/dashboard/"))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_forms_may_only_be_sent_to_hearth_and_to_stripes_hosted_pages(page, operator):
    directives = _directives(page(operator).get("/dashboard/"))
    assert directives["form-action"] == ["'self'", "https://checkout.stripe.com", "https://connect.stripe.com"]


def test_the_api_documentation_loads_its_script_and_styles_from_files(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert _directives(page)["script-src"] == ["'self'"]
    assert b"<script>" not in page.content
    assert b"<style>" not in page.content


def test_a_signed_in_page_is_never_stored(page, operator):
    response = page(operator).get("/dashboard/")
    assert "no-store" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_a_residents_portal_page_is_never_stored(page, resident_member):
    assert "no-store" in page(resident_member).get("/portal/")["Cache-Control"]


def test_the_login_page_is_not_stored_either(client):
    assert "no-store" in client.get("/accounts/login/")["Cache-Control"]


def test_an_api_answer_is_never_stored(api, operator):
    assert "no-store" in api(operator).get("/api/v1/houses/")["Cache-Control"]


def test_an_api_refusal_to_a_stranger_is_never_stored(client):
    response = client.get("/api/v1/houses/")
    assert response.status_code in (401, 403)
    assert "no-store" in response["Cache-Control"]


def _answer_cached_for_a_minute(request):
    return HttpResponse("", headers={"Cache-Control": "public, max-age=60"})


def test_an_anonymous_page_that_chooses_its_own_caching_keeps_it(rf):
    request = rf.get("/welcome/")
    request.user = AnonymousUser()
    response = SecurityHeadersMiddleware(_answer_cached_for_a_minute)(request)
    assert response["Cache-Control"] == "public, max-age=60"


def test_a_signed_in_page_is_not_stored_even_when_its_view_asks_for_caching(rf, operator):
    request = rf.get("/welcome/")
    request.user = operator.user
    response = SecurityHeadersMiddleware(_answer_cached_for_a_minute)(request)
    assert "public" not in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_every_answer_denies_camera_microphone_location_and_payment(client):
    assert client.get("/accounts/login/")["Permissions-Policy"] == (
        "camera=(), microphone=(), geolocation=(), payment=()"
    )


@production
def test_an_unknown_api_address_answers_json_in_production():
    response = _production_client().get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


@production
def test_an_unknown_page_answers_the_html_page_in_production():
    response = _production_client().get("/dashboard/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"There is nothing here" in response.content


@production
def test_a_server_error_under_the_api_answers_json_in_production():
    response = _production_client().get("/api/v1/broken/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("Something went wrong on our side.")


@production
def test_a_server_error_on_a_page_answers_the_html_page_in_production():
    response = _production_client().get("/dashboard/broken/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert b"Something went wrong" in response.content


@production
def test_a_refusal_outside_drf_under_the_api_answers_json_in_production():
    response = _production_client().get("/api/v1/refused/")
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}


@production
def test_a_request_refused_before_any_view_under_the_api_answers_json_in_production():
    response = _production_client().get("/api/v1/houses/", HTTP_HOST="not-hearth.example.org")
    assert response.status_code == 400
    assert response.json() == {"detail": "The request could not be read."}


@production
def test_error_answers_carry_the_same_headers_as_any_other():
    response = _production_client().get("/api/v1/broken/")
    assert "no-store" in response["Cache-Control"]
    assert "Permissions-Policy" in response
    assert "Content-Security-Policy" in response
