"""The page an invitation links to: the invitee, and only the invitee, accepts there."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Membership, Role
from tests.factories import PASSWORD, MembershipFactory
from tests.forms import FormClient

from .invitation_helpers import invitation_path

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a quiet porch at dawn"


@pytest.fixture
def invite(operator, django_capture_on_commit_callbacks):
    """``invite(email, **fields)``: the operator invites ``email``; returns the pending membership and its link."""

    def make(email, *, role=Role.MANAGER, full_name="Typed Name"):
        with django_capture_on_commit_callbacks(execute=True):
            membership = account_services.membership_invite(
                actor=operator, email=email, full_name=full_name,
                role=role, base_url="http://testserver/",
            )  # fmt: skip
        return membership, invitation_path()

    return make


@pytest.fixture
def existing(other_organization):
    return MembershipFactory(organization=other_organization, role=Role.MANAGER, user__full_name="Ezra Existing")


def test_a_new_person_accepts_by_choosing_a_name_and_a_password(invite, house):
    membership, link = invite("new.person@example.org")
    membership.houses.add(house)
    browser = FormClient()
    response = browser.submit(
        link,
        {"full_name": "Nia New", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        button=f"Join {membership.organization.name} as house manager",
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert f"Welcome to {membership.organization.name}." in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_active
    assert membership.accepted_at is not None
    assert membership.user.full_name == "Nia New"
    assert membership.user.check_password(NEW_PASSWORD)
    assert browser.get(f"/dashboard/houses/{house.pk}/beds/").status_code == 200


def test_the_new_persons_form_starts_with_the_name_they_were_invited_under(invite):
    _, link = invite("new.person@example.org", full_name="Nia New")
    body = FormClient().get(link).content.decode()
    assert 'value="Nia New"' in body


def test_a_weak_password_is_refused_beside_the_field_and_nothing_is_accepted(invite):
    membership, link = invite("new.person@example.org")
    response = FormClient().submit(
        link, {"full_name": "Nia New", "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["new_password2"]
    membership.refresh_from_db()
    assert membership.is_pending
    assert not membership.user.has_usable_password()


def test_an_existing_account_is_asked_to_sign_in_first(invite, existing):
    _, link = invite(existing.user.email)
    response = Client().get(link)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/invitations/")


def test_an_existing_account_accepts_after_signing_in(invite, existing, organization):
    membership, link = invite(existing.user.email, role=Role.OPERATOR)
    browser = FormClient()
    signed_in = browser.submit(
        browser.get(link)["Location"], {"username": existing.user.email, "password": PASSWORD}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == link
    assert "Join Second Wind as operator" in signed_in.content.decode()
    assert Membership.objects.get(pk=membership.pk).is_pending  # seeing the page accepts nothing
    response = browser.submit(link, button="Join Second Wind as operator", follow=True)
    assert response.redirect_chain[-1][0] == "/dashboard/"
    membership.refresh_from_db()
    assert membership.is_active
    assert not membership.is_pending
    existing.user.refresh_from_db()
    assert existing.user.full_name == "Ezra Existing"
    assert response.context["viewer"].organization == organization


def test_someone_else_signed_in_is_refused_and_nothing_changes(invite, existing, manager):
    membership, link = invite(existing.user.email)
    browser = FormClient()
    browser.force_login(manager.user)
    shown = browser.get(link)
    assert shown.status_code == 403
    assert "This invitation is for someone else" in shown.content.decode()
    assert existing.user.email not in shown.content.decode()
    assert browser.post(link).status_code == 403
    assert Membership.objects.get(pk=membership.pk).is_pending


def test_someone_else_signed_in_cannot_take_over_a_new_persons_invitation(invite, manager):
    membership, link = invite("new.person@example.org")
    browser = FormClient()
    browser.force_login(manager.user)
    response = browser.post(
        link, {"full_name": "Mallory", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.is_pending
    assert not membership.user.has_usable_password()


def test_an_expired_link_shows_a_clear_page_and_accepts_nothing(invite):
    membership, link = invite("new.person@example.org")
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = Client().post(
            link, {"full_name": "Nia", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
    assert response.status_code == 400
    assert "This invitation has expired" in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_pending
    assert not membership.user.has_usable_password()


def test_a_link_still_works_on_its_last_day(invite):
    _, link = invite("new.person@example.org")
    with time_machine.travel(timezone.now() + timedelta(days=13)):
        assert Client().get(link).status_code == 200


def test_a_tampered_link_is_refused(invite):
    membership, link = invite("new.person@example.org")
    token = link.rstrip("/").rsplit("/", 1)[1]
    forged = link.replace(token, token.replace(str(membership.pk), str(membership.pk + 1), 1) + "x")
    response = Client().post(forged, {"full_name": "Nia"})
    assert response.status_code == 400
    assert "This invitation link does not work" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).is_pending


def test_a_withdrawn_invitations_link_is_dead(invite, operator, api):
    membership, link = invite("new.person@example.org")
    api(operator).delete(f"/api/v1/memberships/{membership.pk}/")
    response = Client().get(link)
    assert response.status_code == 404
    assert "This invitation was withdrawn" in response.content.decode()


def test_a_link_from_a_withdrawn_invitation_does_not_open_a_new_one(invite, operator, api):
    membership, old_link = invite("new.person@example.org")
    api(operator).delete(f"/api/v1/memberships/{membership.pk}/")
    invite("new.person@example.org")
    assert Client().get(old_link).status_code == 404


def test_accepting_needs_the_pages_csrf_token(invite, existing):
    membership, link = invite(existing.user.email)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(existing.user)
    assert browser.post(link).status_code == 403
    assert Membership.objects.get(pk=membership.pk).is_pending


def test_an_accepted_invitation_says_so(invite, existing):
    _membership, link = invite(existing.user.email)
    browser = FormClient()
    browser.force_login(existing.user)
    browser.submit(link)
    response = Client().get(link)
    assert response.status_code == 200
    assert "already been accepted" in response.content.decode()


def test_an_invitee_who_signs_in_before_accepting_reaches_no_organization(invite):
    membership, _ = invite("loner@example.org")
    membership.user.set_password(PASSWORD)
    membership.user.save()
    browser = FormClient()
    browser.force_login(membership.user)
    assert browser.get("/").status_code == 403
    assert browser.get("/dashboard/").status_code == 403


def test_the_email_names_the_organization_and_the_role_and_nobody(invite, existing):
    invite(existing.user.email)
    message = mail.outbox[-1]
    assert message.subject == "Invitation to join Second Wind on Hearth"
    assert "as house manager" in message.body
    assert "Ezra" not in message.body
    assert "Typed Name" not in message.body


def test_every_invitation_page_has_labelled_fields_and_unique_ids(invite, existing, manager):
    from tests.pages.test_crawl import problems_on

    _, new_link = invite("new.person@example.org")
    _, existing_link = invite(existing.user.email)
    pages = {"sign up": FormClient().get(new_link), "forged": Client().get(new_link[:-1] + "x/")}
    browser = FormClient()
    browser.force_login(existing.user)
    pages["confirm"] = browser.get(existing_link)
    browser.force_login(manager.user)
    pages["someone else"] = browser.get(existing_link)
    for name, response in pages.items():
        assert problems_on(response.content.decode(), name) == [], name
