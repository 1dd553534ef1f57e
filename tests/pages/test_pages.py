import pytest
from django.core import mail

from tests.factories import PASSWORD, UserFactory
from tests.forms import FormClient


def test_the_login_page_has_labelled_fields_and_a_main_landmark(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert '<main id="main"' in page
    assert '<label for="id_username">E-mail' in page
    assert '<label for="id_password">Password' in page


def test_an_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("role", "landing"), [("operator", "/dashboard/"), ("manager", "/dashboard/"), ("resident_member", "/portal/")]
)
def test_each_role_lands_on_its_own_page_after_login(request, role, landing):
    member = request.getfixturevalue(role)
    login = {"username": member.user.email, "password": PASSWORD}
    response = FormClient().submit("/accounts/login/", login, follow=True)
    assert response.redirect_chain[-1][0] == landing
    assert response.status_code == 200


def test_a_wrong_password_shows_an_error_and_keeps_the_email(operator):
    login = {"username": operator.user.email, "password": "nope"}
    page = FormClient().submit("/accounts/login/", login).content.decode()
    assert "That e-mail and password do not match" in page
    assert operator.user.email in page


def test_a_resident_cannot_open_the_staff_dashboard(client, resident_member):
    client.force_login(resident_member.user)
    assert client.get("/dashboard/").status_code == 403


def test_staff_cannot_open_the_resident_portal(client, manager):
    client.force_login(manager.user)
    assert client.get("/portal/").status_code == 403


def test_the_dashboard_shows_a_managers_houses_only(client, manager, house, other_house):
    client.force_login(manager.user)
    page = client.get("/dashboard/").content.decode()
    assert house.name in page
    assert other_house.name not in page


def test_the_portal_shows_the_residents_house_and_bed(client, resident_member, house):
    client.force_login(resident_member.user)
    page = client.get("/portal/").content.decode()
    assert house.name in page
    assert "Bed 1" in page


def test_navigation_follows_the_role(client, operator, resident_member):
    client.force_login(operator.user)
    assert 'href="/api/docs/"' in client.get("/dashboard/").content.decode()
    client.force_login(resident_member.user)
    page = client.get("/portal/").content.decode()
    assert "Dashboard" not in page
    assert "My home" in page


def test_a_user_without_an_organization_is_told_what_to_do(client, db):
    client.force_login(UserFactory())
    response = client.get("/")
    assert response.status_code == 403
    assert b"not part of an organization" in response.content


def test_password_reset_sends_a_link_by_email(operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = FormClient().submit("/accounts/password_reset/", {"email": operator.user.email})
    assert response.status_code == 302
    assert "/accounts/reset/" in mail.outbox[0].body


def test_logout_is_a_post_that_ends_the_session(page, operator):
    client = page(operator)
    client.submit("/dashboard/", button="Sign out")
    assert client.get("/dashboard/").status_code == 302


def test_pages_are_protected_by_csrf(operator):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(operator.user)
    # Sent without the page's token on purpose: the check is that such a post is refused.
    assert strict.post("/accounts/organization/", {"organization": operator.organization_id}).status_code == 403
