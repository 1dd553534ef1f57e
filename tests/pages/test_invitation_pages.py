"""Invitations on the operator's staff page and on a resident's page: what they show, withdrawing, sending again."""

import pytest
from django.core import mail

from accounts.models import Membership, Role
from residents.models import Resident
from tests.accounts.invitation_helpers import invitation_path
from tests.factories import MembershipFactory
from tests.forms import FormClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def someone_elsewhere(other_organization):
    return MembershipFactory(organization=other_organization, role=Role.RESIDENT, user__full_name="Riley Private")


@pytest.fixture
def invited(page, operator, house, someone_elsewhere, django_capture_on_commit_callbacks):
    """An existing account the operator invited as a manager of ``house``, through the staff page."""
    with django_capture_on_commit_callbacks(execute=True):
        page(operator).submit(
            "/dashboard/staff/",
            {"email": someone_elsewhere.user.email, "full_name": "Pat Typed", "role": "manager", "houses": [house.pk]},
            button="Send invitation",
        )
    return Membership.objects.get(organization=operator.organization, user=someone_elsewhere.user)


def test_the_staff_page_shows_the_invited_name_and_not_the_accounts(page, operator, invited):
    client = page(operator)
    for path in ["/dashboard/staff/", f"/dashboard/staff/{invited.pk}/", "/dashboard/houses/"]:
        body = client.get(path).content.decode()
        assert "Pat Typed" in body, path
        assert "Riley" not in body, path
    assert "Invited" in client.get("/dashboard/staff/").content.decode()


def test_the_staff_list_filters_invitations(page, operator, manager, invited):
    response = page(operator).submit("/dashboard/staff/", {"active": "invited"}, form="form.filters")
    assert list(response.context["page_obj"].object_list) == [invited]


def test_an_invitee_cannot_switch_into_the_organization_before_accepting(page, invited, house):
    client = page(invited)  # signed in; still only a resident of their own organization
    response = client.post("/accounts/organization/", {"organization": invited.organization_id}, follow=True)
    assert "You are not a member of that organization." in response.content.decode()
    assert client.get(f"/dashboard/houses/{house.pk}/beds/").status_code == 403
    assert client.get("/dashboard/staff/").status_code == 403


def test_an_invitee_with_no_other_organization_gets_no_pages(page, operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page(operator).submit(
            "/dashboard/staff/", {"email": "only.invited@example.org", "role": "operator"}, button="Send invitation"
        )
    invitation = Membership.objects.get(user__email="only.invited@example.org")
    client = page(invitation)
    assert client.get("/").status_code == 403
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/dashboard/staff/").status_code == 403


def test_withdrawing_an_invitation_from_the_staff_page(page, operator, invited, someone_elsewhere):
    response = page(operator).submit(f"/dashboard/staff/{invited.pk}/", button="Withdraw invitation", follow=True)
    assert f"Invitation to {someone_elsewhere.user.email} withdrawn" in response.content.decode()
    assert not Membership.objects.filter(pk=invited.pk).exists()
    assert Membership.objects.filter(pk=someone_elsewhere.pk, is_active=True).exists()


def test_sending_an_invitation_again_from_the_staff_page(page, operator, invited, django_capture_on_commit_callbacks):
    first = invitation_path()
    with django_capture_on_commit_callbacks(execute=True):
        response = page(operator).submit(
            f"/dashboard/staff/{invited.pk}/", button="Send the invitation again", follow=True
        )
    assert "Invitation sent again" in response.content.decode()
    assert len(mail.outbox) == 2
    assert invitation_path().startswith("/accounts/invitations/")
    assert first.startswith("/accounts/invitations/")


def test_an_invitation_offers_no_deactivate_or_reactivate_button(page, operator, invited):
    body = page(operator).get(f"/dashboard/staff/{invited.pk}/").content.decode()
    assert "Reactivate" not in body
    assert "Deactivate" not in body


def test_reactivating_an_invitation_is_refused(page, operator, invited):
    response = page(operator).post(f"/dashboard/staff/{invited.pk}/active/", {"active": "yes"})
    assert response.status_code == 400
    assert "has not been accepted yet" in response.content.decode()
    assert Membership.objects.get(pk=invited.pk).is_pending


def test_a_manager_cannot_withdraw_a_staff_invitation(page, manager, invited):
    assert page(manager).post(f"/dashboard/staff/{invited.pk}/withdraw/").status_code == 403
    assert Membership.objects.filter(pk=invited.pk).exists()


def test_another_organization_cannot_withdraw_an_invitation(page, outsider, invited):
    assert page(outsider).post(f"/dashboard/staff/{invited.pk}/withdraw/").status_code == 404
    assert page(outsider).post(f"/dashboard/staff/{invited.pk}/resend/").status_code == 404
    assert Membership.objects.filter(pk=invited.pk).exists()


# Residents' portal logins


@pytest.fixture
def portal_invited(page, manager, resident_factory, django_capture_on_commit_callbacks):
    person = resident_factory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        page(manager).submit(
            f"/dashboard/residents/{person.pk}/", {"email": "dana@example.org"}, button="Give a portal login"
        )
    person.refresh_from_db()
    return person


def test_a_residents_portal_invitation_shows_as_invited(page, manager, portal_invited):
    body = page(manager).get(f"/dashboard/residents/{portal_invited.pk}/").content.decode()
    assert "has been invited to the resident portal" in body
    assert "Give a portal login" not in body


def test_a_resident_cannot_use_the_portal_before_accepting(portal_invited):
    client = FormClient()
    client.force_login(portal_invited.membership.user)
    assert client.get("/portal/").status_code == 403


def test_a_resident_accepts_the_portal_invitation_and_lands_on_the_portal(portal_invited):
    browser = FormClient()
    response = browser.submit(
        invitation_path(),
        {"full_name": "Dana R", "new_password1": "a quiet porch at dawn", "new_password2": "a quiet porch at dawn"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/portal/"
    assert response.status_code == 200
    portal_invited.refresh_from_db()
    assert portal_invited.membership.is_active
    assert not portal_invited.membership.is_pending


def test_the_api_tells_a_pending_portal_login_from_a_working_one(api, manager, portal_invited, resident_member):
    pending = api(manager).get(f"/api/v1/residents/{portal_invited.pk}/").json()
    assert (pending["has_portal_login"], pending["portal_login_status"]) == (False, "invited")
    working = api(manager).get(f"/api/v1/residents/{resident_member.resident.pk}/").json()
    assert (working["has_portal_login"], working["portal_login_status"]) == (True, "active")


def test_withdrawing_a_residents_portal_invitation_clears_their_login(page, manager, portal_invited):
    membership = portal_invited.membership
    link = invitation_path()
    response = page(manager).submit(
        f"/dashboard/residents/{portal_invited.pk}/", button="Withdraw invitation", follow=True
    )
    assert "Portal invitation withdrawn" in response.content.decode()
    assert Resident.objects.get(pk=portal_invited.pk).membership is None
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert FormClient().get(link).status_code == 404
    assert "Give a portal login" in response.content.decode()


def test_sending_a_residents_portal_invitation_again(page, manager, portal_invited, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = page(manager).submit(
            f"/dashboard/residents/{portal_invited.pk}/", button="Send the invitation again", follow=True
        )
    assert "Portal invitation sent again to dana@example.org." in response.content.decode()
    assert [message.to for message in mail.outbox] == [["dana@example.org"], ["dana@example.org"]]


def test_inviting_a_resident_already_invited_is_refused_beside_the_email(api, manager, portal_invited):
    response = api(manager).post(f"/api/v1/residents/{portal_invited.pk}/portal-login/", {"email": "x@example.org"})
    assert response.status_code == 409
    assert "already been invited" in response.json()["email"][0]
