"""Two-factor sign-in: setting up an authenticator app, the sign-in's second step, recovery codes, the organization's
requirement for operators and managers (never residents), and the token login's ``otp``."""

from datetime import UTC, datetime

import pytest
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.two_factor import services
from tests.factories import PASSWORD
from tests.forms import FormClient

NOW = datetime(2026, 3, 11, 16, 0, 5, tzinfo=UTC)
TOTP_STEP = 30


@pytest.fixture(autouse=True)
def clock():
    """A stopped clock: a code is valid for its 30-second step, and a wrong code makes the next try wait."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def wrong_code_for(device: TOTPDevice) -> str:
    return f"{(int(code_for(device)) + 1) % 1_000_000:06d}"


@pytest.fixture
def enroll(clock):
    """``enroll(membership)``: their authenticator app set up (a minute ago); returns the device and the
    recovery codes."""

    def make(membership):
        user = membership.user
        device = services.setup_start(user=user)
        clock.shift(-60)
        try:
            return services.setup_confirm(user=user, code=code_for(device))
        finally:
            clock.shift(60)

    return make


def require_two_factor(membership):
    organization = membership.organization
    organization.require_staff_two_factor = True
    organization.save(update_fields=["require_staff_two_factor"])


def sign_in(membership, *, follow=True):
    """The login page's form, sent with the right password: a browser after the first step."""
    client = FormClient()
    response = client.submit(
        "/accounts/login/", {"username": membership.user.email, "password": PASSWORD}, follow=follow
    )
    return client, response


def start_setup(client):
    """The account security page's "Set up an authenticator app" button; returns the set-up page."""
    return client.submit("/accounts/security/", form="#set-up", follow=True)


def enter_code(client, code):
    return client.submit("/accounts/two-factor/", {"code": code}, button="Continue", follow=True)


# Setting up


def test_the_set_up_page_shows_a_qr_code_and_the_key_to_type_in(page, operator):
    response = start_setup(page(operator))
    device = TOTPDevice.objects.get(user=operator.user)
    html = response.content.decode()
    assert "<svg" in html
    assert services.secret_for_display(device) in html
    assert not device.confirmed


def test_starting_the_set_up_again_keeps_the_same_key(page, operator):
    client = page(operator)
    start_setup(client)
    secret = services.secret_for_display(TOTPDevice.objects.get(user=operator.user))
    assert secret in start_setup(client).content.decode()
    assert TOTPDevice.objects.filter(user=operator.user).count() == 1


def test_opening_the_security_pages_creates_nothing(page, operator):
    client = page(operator)
    assert client.get("/accounts/security/").status_code == 200
    assert client.get("/accounts/security/setup/").url == "/accounts/security/"
    assert not TOTPDevice.objects.filter(user=operator.user).exists()


def test_a_first_right_code_turns_two_factor_on_and_shows_ten_recovery_codes_once(page, operator):
    client = page(operator)
    start_setup(client)
    device = TOTPDevice.objects.get(user=operator.user)
    response = client.submit("/accounts/security/setup/", {"code": code_for(device)})
    assert response.status_code == 200
    assert "Two-factor sign-in is on" in response.content.decode()
    codes = list(StaticToken.objects.filter(device__user=operator.user).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in response.content.decode() for code in codes)
    assert services.has_two_factor(operator.user)
    assert not any(code in client.get("/accounts/security/").content.decode() for code in codes)


def test_a_wrong_first_code_leaves_two_factor_off(page, operator):
    client = page(operator)
    start_setup(client)
    wrong = wrong_code_for(TOTPDevice.objects.get(user=operator.user))
    response = client.submit("/accounts/security/setup/", {"code": wrong})
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert not services.has_two_factor(operator.user)


def test_the_session_that_set_it_up_stays_signed_in(page, operator):
    client = page(operator)
    start_setup(client)
    client.submit("/accounts/security/setup/", {"code": code_for(TOTPDevice.objects.get(user=operator.user))})
    assert client.get("/dashboard/").status_code == 200


def test_the_security_page_is_linked_from_the_signed_in_header(page, manager):
    assert 'href="/accounts/security/"' in page(manager).get("/dashboard/").content.decode()


def test_a_resident_may_set_up_two_factor_too(page, resident_member):
    client = page(resident_member)
    start_setup(client)
    device = TOTPDevice.objects.get(user=resident_member.user)
    client.submit("/accounts/security/setup/", {"code": code_for(device)})
    assert services.has_two_factor(resident_member.user)


# Signing in


def test_without_two_factor_the_password_alone_signs_in(operator):
    _, response = sign_in(operator)
    assert response.redirect_chain[-1][0] == "/dashboard/"


def test_with_two_factor_the_password_leads_to_the_code_step(operator, enroll):
    enroll(operator)
    _, response = sign_in(operator)
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/")
    assert "Enter your code" in response.content.decode()


def test_the_right_code_finishes_signing_in(operator, enroll):
    device, _ = enroll(operator)
    client, _ = sign_in(operator)
    response = enter_code(client, code_for(device))
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_the_code_step_returns_to_the_page_first_asked_for(operator, enroll):
    device, _ = enroll(operator)
    client = FormClient()
    client.submit(
        "/accounts/login/?next=/dashboard/residents/", {"username": operator.user.email, "password": PASSWORD}
    )
    response = client.submit(
        "/accounts/two-factor/?next=/dashboard/residents/", {"code": code_for(device)}, button="Continue", follow=True
    )
    assert response.redirect_chain[-1][0] == "/dashboard/residents/"


def test_a_wrong_code_is_refused_and_counted(operator, enroll):
    device, _ = enroll(operator)
    client, _ = sign_in(operator)
    response = enter_code(client, wrong_code_for(device))
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert client.get("/dashboard/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_after_a_wrong_code_even_the_right_one_must_wait(operator, enroll, clock):
    device, _ = enroll(operator)
    client, _ = sign_in(operator)
    enter_code(client, wrong_code_for(device))
    response = enter_code(client, code_for(device))
    assert "Too many wrong codes. Wait a second before trying again." in response.content.decode()
    clock.shift(2)
    assert enter_code(client, code_for(device)).redirect_chain[-1][0] == "/dashboard/"


def test_a_code_already_used_cannot_sign_in_again(operator, enroll):
    device, _ = enroll(operator)
    code = code_for(device)
    first, _ = sign_in(operator)
    enter_code(first, code)
    second, _ = sign_in(operator)
    assert enter_code(second, code).status_code == 400


def test_a_recovery_code_signs_in_once(operator, enroll):
    _, codes = enroll(operator)
    first, _ = sign_in(operator)
    assert enter_code(first, codes[0].upper()).redirect_chain[-1][0] == "/dashboard/"
    second, _ = sign_in(operator)
    response = enter_code(second, codes[0])
    assert response.status_code == 400
    assert services.recovery_codes_left(operator.user) == 9


def test_an_unverified_session_cannot_open_a_dashboard_page(page, operator, enroll):
    enroll(operator)
    response = page(operator).get("/dashboard/residents/")
    assert response.status_code == 302
    assert response.url == "/accounts/two-factor/?next=/dashboard/residents/"


def test_an_unverified_session_cannot_use_the_api(operator, enroll):
    enroll(operator)
    client, _ = sign_in(operator)
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert "authenticator app" in response.json()["detail"]


@pytest.mark.parametrize("authorization", ["Bogus x", "Basic Zm9vOmJhcg==", ""])
def test_an_unverified_session_cannot_use_the_api_behind_another_authorization_scheme(operator, enroll, authorization):
    enroll(operator)
    client, _ = sign_in(operator)
    response = client.get("/api/v1/houses/", HTTP_AUTHORIZATION=authorization)
    assert response.status_code == 403


def test_an_unverified_session_with_a_made_up_token_is_refused(operator, enroll):
    enroll(operator)
    client, _ = sign_in(operator)
    response = client.get("/api/v1/houses/", HTTP_AUTHORIZATION="Token not-a-real-key")
    assert response.status_code == 401


def test_an_unverified_session_can_still_sign_out(page, operator, enroll):
    enroll(operator)
    client = page(operator)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/dashboard/").url.startswith("/accounts/login/")


# Recovery codes and turning it off


def test_new_recovery_codes_replace_the_old_ones(operator, enroll):
    device, old_codes = enroll(operator)
    client, _ = sign_in(operator)
    enter_code(client, code_for(device))
    response = client.submit("/accounts/security/", {"recovery-password_or_code": PASSWORD}, form="#recovery-codes")
    new_codes = set(StaticToken.objects.filter(device__user=operator.user).values_list("token", flat=True))
    assert len(new_codes) == 10
    assert all(code in response.content.decode() for code in new_codes)
    assert not new_codes & set(old_codes)


def test_new_recovery_codes_need_the_password_or_a_code(operator, enroll):
    device, old_codes = enroll(operator)
    client, _ = sign_in(operator)
    enter_code(client, code_for(device))
    response = client.submit("/accounts/security/", {"recovery-password_or_code": "not it"}, form="#recovery-codes")
    assert response.status_code == 400
    assert "neither your password nor a current code" in response.content.decode()
    assert set(StaticToken.objects.filter(device__user=operator.user).values_list("token", flat=True)) == set(old_codes)


def test_turning_two_factor_off_refuses_a_wrong_password(operator, enroll):
    device, _ = enroll(operator)
    client, _ = sign_in(operator)
    enter_code(client, code_for(device))
    response = client.submit("/accounts/security/", {"password_or_code": "not it"}, form="#turn-off")
    assert response.status_code == 400
    assert "neither your password nor a current code" in response.content.decode()
    assert services.has_two_factor(operator.user)


def test_turning_two_factor_off_with_the_password_lets_the_password_alone_sign_in(operator, enroll):
    device, _ = enroll(operator)
    client, _ = sign_in(operator)
    enter_code(client, code_for(device))
    response = client.submit("/accounts/security/", {"password_or_code": PASSWORD}, form="#turn-off", follow=True)
    assert "Two-factor sign-in is off" in response.content.decode()
    assert not StaticToken.objects.filter(device__user=operator.user).exists()
    _, again = sign_in(operator)
    assert again.redirect_chain[-1][0] == "/dashboard/"


def test_turning_two_factor_off_with_a_current_code(operator, enroll, clock):
    device, _ = enroll(operator)
    client, _ = sign_in(operator)
    enter_code(client, code_for(device))
    clock.shift(TOTP_STEP)
    client.submit("/accounts/security/", {"password_or_code": code_for(device)}, form="#turn-off")
    assert not services.has_two_factor(operator.user)


# The organization's requirement


@pytest.mark.parametrize("role", ["operator", "manager"])
def test_required_two_factor_sends_staff_without_it_to_set_up(request, page, role):
    member = request.getfixturevalue(role)
    require_two_factor(member)
    client = page(member)
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response.url == "/accounts/security/"
    assert "requires two-factor sign-in" in client.get(response.url).content.decode()


def test_required_staff_without_it_cannot_use_the_api_with_a_session(page, operator):
    require_two_factor(operator)
    response = page(operator).get("/api/v1/houses/")
    assert response.status_code == 403
    assert "requires two-factor" in response.json()["detail"]


def test_required_staff_work_normally_once_set_up(page, operator):
    require_two_factor(operator)
    client = page(operator)
    start_setup(client)
    client.submit("/accounts/security/setup/", {"code": code_for(TOTPDevice.objects.get(user=operator.user))})
    assert client.get("/dashboard/").status_code == 200


def test_required_two_factor_never_stops_a_resident(page, resident_member):
    require_two_factor(resident_member)
    assert page(resident_member).get("/portal/").status_code == 200


def test_an_operator_turns_the_requirement_on_through_the_api(api, operator):
    response = api(operator).patch("/api/v1/organization/", {"require_staff_two_factor": True}, format="json")
    assert response.status_code == 200
    operator.organization.refresh_from_db()
    assert operator.organization.require_staff_two_factor is True


def test_a_manager_cannot_turn_the_requirement_on(api, manager):
    response = api(manager).patch("/api/v1/organization/", {"require_staff_two_factor": True}, format="json")
    assert response.status_code == 403
    manager.organization.refresh_from_db()
    assert manager.organization.require_staff_two_factor is False


def test_an_operator_turns_the_requirement_on_on_the_settings_page(page, operator):
    client = page(operator)
    client.submit("/dashboard/settings/", {"require_staff_two_factor": "on"})
    operator.organization.refresh_from_db()
    assert operator.organization.require_staff_two_factor is True


# Token login


def token_login(membership, **extra):
    return APIClient().post(
        "/api/v1/auth/token/", {"email": membership.user.email, "password": PASSWORD, **extra}, format="json"
    )


def test_a_token_login_with_two_factor_asks_for_otp(operator, enroll):
    enroll(operator)
    response = token_login(operator)
    assert response.status_code == 400
    assert "authenticator app" in response.json()["otp"][0]


def test_a_token_login_with_a_wrong_otp_gets_no_token(operator, enroll):
    device, _ = enroll(operator)
    response = token_login(operator, otp=wrong_code_for(device))
    assert response.status_code == 400
    assert "That code is not right" in response.json()["otp"][0]


def test_a_token_login_with_the_right_otp_gets_a_token(operator, enroll):
    device, _ = enroll(operator)
    response = token_login(operator, otp=code_for(device))
    assert response.status_code == 200
    assert response.json()["token"]


def test_required_staff_without_two_factor_get_no_token(manager):
    require_two_factor(manager)
    response = token_login(manager)
    assert response.status_code == 403
    assert "Set up an authenticator app on the website" in response.json()["detail"]


def test_a_resident_of_a_requiring_organization_gets_a_token_without_otp(resident_member):
    require_two_factor(resident_member)
    assert token_login(resident_member).status_code == 200


def test_an_earlier_token_of_staff_now_required_to_use_two_factor_is_refused(operator):
    token = token_login(operator).json()["token"]
    require_two_factor(operator)
    response = APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/houses/")
    assert response.status_code == 403
    assert "requires two-factor" in response.json()["detail"]
