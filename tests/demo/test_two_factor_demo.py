"""The demo's optional two-factor login works from what the README publishes, and the other demo logins still sign
in with the password alone."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from accounts.models import Organization
from demo import seed_two_factor
from tests.forms import FormClient

PASSWORD = "hearth-demo"


def sign_in(email):
    client = FormClient()
    response = client.submit("/accounts/login/", {"username": email, "password": PASSWORD}, follow=True)
    return client, response


@pytest.mark.parametrize("email", ["operator@example.com", "manager@example.com", "resident@example.com"])
def test_the_documented_demo_logins_sign_in_with_the_password_alone(demo_db, email):
    _, response = sign_in(email)
    assert response.redirect_chain[-1][0] in {"/dashboard/", "/portal/"}


def test_the_demo_organization_leaves_two_factor_optional(demo_db):
    assert not Organization.objects.get(slug="second-wind").require_staff_two_factor


def test_the_two_factor_demo_login_takes_a_code_from_the_published_key(demo_db):
    client, response = sign_in(seed_two_factor.EMAIL)
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/")
    code = f"{totp(b32decode(seed_two_factor.TOTP_KEY)):06d}"
    response = client.submit("/accounts/two-factor/", {"code": code}, button="Continue", follow=True)
    assert response.redirect_chain[-1][0] == "/dashboard/"
