import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD
from tests.forms import FormClient


@pytest.fixture
def anonymous():
    return APIClient()


def test_a_token_is_issued_for_a_correct_email_and_password(anonymous, operator):
    response = anonymous.post(
        "/api/v1/auth/token/", {"email": operator.user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert set(response.json()) == {"token", "id", "name", "expiry"}


def test_the_token_authenticates_later_requests(anonymous, operator, house):
    token = anonymous.post(
        "/api/v1/auth/token/", {"email": operator.user.email, "password": PASSWORD}, format="json"
    ).json()["token"]
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/houses/").json()["count"] == 1


def test_the_email_is_matched_without_regard_to_case(anonymous, operator):
    response = anonymous.post(
        "/api/v1/auth/token/", {"email": operator.user.email.upper(), "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200


def test_a_wrong_password_is_a_400_without_a_token(anonymous, operator):
    response = anonymous.post("/api/v1/auth/token/", {"email": operator.user.email, "password": "nope"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_missing_credentials_name_the_fields(anonymous):
    response = anonymous.post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_repeated_failures_lock_the_login_out_even_with_the_right_password(anonymous, operator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        anonymous.post("/api/v1/auth/token/", {"email": operator.user.email, "password": "guess"}, format="json")
    response = anonymous.post(
        "/api/v1/auth/token/", {"email": operator.user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.json()["detail"]


def test_the_login_page_locks_out_after_repeated_failures(operator, settings):
    client = FormClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.submit("/accounts/login/", {"username": operator.user.email, "password": "guess"})
    response = client.submit("/accounts/login/", {"username": operator.user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert b"Sign-in paused" in response.content


def test_the_token_endpoint_is_rate_limited_per_address(anonymous, db, settings):
    rate = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"].split("/")[0])
    statuses = [
        anonymous.post(
            "/api/v1/auth/token/", {"email": f"u{i}@example.org", "password": "x"}, format="json"
        ).status_code
        for i in range(rate + 1)
    ]
    assert statuses[-1] == 429
