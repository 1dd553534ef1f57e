"""Inviting through the API asks the invitee's consent: nothing about an existing account shows, and nothing is
granted until the invitee accepts."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from accounts.models import Membership, Role
from accounts.tenancy import memberships_of
from tests.factories import PASSWORD, MembershipFactory, UserFactory

from .invitation_helpers import LINK

pytestmark = pytest.mark.django_db


@pytest.fixture
def someone_elsewhere(other_organization):
    """A person with an account (and a name) from another organization."""
    return MembershipFactory(organization=other_organization, role=Role.RESIDENT, user__full_name="Riley Private")


def invite(api, operator, email, **body):
    return api(operator).post("/api/v1/memberships/", {"email": email, "role": "manager", **body}, format="json")


def test_inviting_an_existing_account_does_not_show_its_name(api, operator, someone_elsewhere):
    response = invite(api, operator, someone_elsewhere.user.email, full_name="R. P.")
    assert response.status_code == 201
    assert "Riley" not in response.content.decode()
    assert response.json()["full_name"] == "R. P."
    assert response.json()["status"] == "invited"


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(api, operator, someone_elsewhere):
    existing = invite(api, operator, someone_elsewhere.user.email.upper(), full_name="Pat Doe")
    new = invite(api, operator, "nobody.yet@example.org", full_name="Pat Doe")
    assert existing.status_code == new.status_code == 201

    def without_identity(body):
        return {key: value for key, value in body.items() if key not in {"id", "email", "created_at"}}

    assert without_identity(existing.json()) == without_identity(new.json())
    assert existing.json().keys() == new.json().keys()
    assert existing.json()["email"] == someone_elsewhere.user.email


def test_inviting_an_address_without_a_name_shows_the_address(api, operator, someone_elsewhere):
    response = invite(api, operator, someone_elsewhere.user.email)
    assert response.json()["full_name"] == someone_elsewhere.user.email


def test_an_existing_account_is_left_unchanged_by_an_invitation(api, operator, someone_elsewhere):
    user = someone_elsewhere.user
    invite(api, operator, user.email, full_name="Somebody Else")
    user.refresh_from_db()
    assert user.full_name == "Riley Private"
    assert user.check_password(PASSWORD)


def test_a_new_address_gets_a_login_without_a_password(api, operator):
    invite(api, operator, "fresh@example.org", full_name="Fran Fresh")
    membership = Membership.objects.get(user__email="fresh@example.org")
    assert membership.user.full_name == "Fran Fresh"
    assert not membership.user.has_usable_password()


def test_an_invited_person_is_not_a_member_until_they_accept(api, operator, organization, someone_elsewhere):
    invite(api, operator, someone_elsewhere.user.email)
    invitation = Membership.objects.get(organization=organization, user=someone_elsewhere.user)
    assert invitation.accepted_at is None
    assert invitation.is_active is False
    assert invitation.invited_by == operator.user
    assert [m.organization for m in memberships_of(someone_elsewhere.user)] == [someone_elsewhere.organization]


def test_an_invitee_cannot_act_in_the_organization_through_the_api(api, operator, organization, house):
    invite(api, operator, "pending@example.org", houses=[house.pk])
    invitation = Membership.objects.get(user__email="pending@example.org")
    response = api(invitation).get(f"/api/v1/houses/{house.pk}/")
    assert response.status_code == 403


def test_a_house_assigned_at_invitation_grants_nothing_before_acceptance(api, operator, house, someone_elsewhere):
    invite(api, operator, someone_elsewhere.user.email, houses=[house.pk])
    invitation = Membership.objects.get(organization=operator.organization, user=someone_elsewhere.user)
    assert list(invitation.houses.all()) == [house]
    client = api(someone_elsewhere)  # acting in their own organization, where they are active
    assert client.get(f"/api/v1/houses/{house.pk}/").status_code == 404
    client.credentials(HTTP_X_ORGANIZATION=operator.organization.slug)
    assert client.get(f"/api/v1/houses/{house.pk}/").status_code == 403


def test_an_invitee_who_can_sign_in_is_still_no_member_of_the_organization(operator, api):
    invite(api, operator, "pending@example.org")
    invitation = Membership.objects.get(user__email="pending@example.org")
    invitation.user.set_password(PASSWORD)
    invitation.user.save()
    response = api(invitation).get("/api/v1/me/")
    assert response.status_code == 403


def test_inviting_someone_already_invited_is_a_conflict(api, operator):
    invite(api, operator, "twice@example.org")
    response = invite(api, operator, "twice@example.org")
    assert response.status_code == 409
    assert response.json()["email"] == ["This person is already a member of the organization."]


def test_an_operator_cannot_activate_an_invitation_themselves(api, operator):
    membership = Membership.objects.get(pk=invite(api, operator, "wait@example.org").json()["id"])
    response = api(operator).patch(f"/api/v1/memberships/{membership.pk}/", {"is_active": True}, format="json")
    assert response.status_code == 409
    assert "not been accepted" in response.json()["is_active"][0]
    membership.refresh_from_db()
    assert membership.is_pending
    assert not membership.is_active


def test_deleting_an_invitation_withdraws_it(api, operator, someone_elsewhere):
    membership_id = invite(api, operator, someone_elsewhere.user.email).json()["id"]
    response = api(operator).delete(f"/api/v1/memberships/{membership_id}/")
    assert response.status_code == 204
    assert not Membership.objects.filter(pk=membership_id).exists()
    assert Membership.objects.filter(pk=someone_elsewhere.pk, is_active=True).exists()


def test_deleting_an_accepted_membership_still_only_deactivates_it(api, operator, manager):
    assert api(operator).delete(f"/api/v1/memberships/{manager.pk}/").status_code == 204
    manager.refresh_from_db()
    assert manager.is_active is False


def test_resending_an_invitation_emails_a_fresh_link(api, operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        membership_id = invite(api, operator, "again@example.org").json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = api(operator).post(f"/api/v1/memberships/{membership_id}/resend/")
    assert response.status_code == 200
    assert response.json()["status"] == "invited"
    assert [message.to for message in mail.outbox] == [["again@example.org"], ["again@example.org"]]
    assert LINK.search(mail.outbox[1].body)


def test_an_accepted_membership_cannot_be_resent(api, operator, manager):
    response = api(operator).post(f"/api/v1/memberships/{manager.pk}/resend/")
    assert response.status_code == 409
    assert len(mail.outbox) == 0


def test_the_invitation_email_reads_the_same_for_new_and_existing_accounts(
    api, operator, someone_elsewhere, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(api, operator, someone_elsewhere.user.email, full_name="Pat Doe")
        invite(api, operator, "nobody.yet@example.org", full_name="Pat Doe")
    existing, new = mail.outbox
    assert existing.subject == new.subject
    assert LINK.sub("LINK", existing.body) == LINK.sub("LINK", new.body)
    assert "Riley" not in existing.body


def test_searching_memberships_does_not_match_an_invitees_account_name(api, operator, someone_elsewhere):
    invite(api, operator, someone_elsewhere.user.email, full_name="Pat Doe")
    assert api(operator).get("/api/v1/memberships/?search=Riley").json()["count"] == 0
    assert api(operator).get("/api/v1/memberships/?search=Pat").json()["count"] == 1


def test_memberships_filter_by_status(api, operator, manager):
    invite(api, operator, "pending@example.org")
    listed = api(operator).get("/api/v1/memberships/?status=invited").json()["results"]
    assert [row["email"] for row in listed] == ["pending@example.org"]
    active = api(operator).get("/api/v1/memberships/?status=active").json()["results"]
    assert {row["email"] for row in active} == {operator.user.email, manager.user.email}


def test_the_audit_log_does_not_offer_an_invitees_account_as_an_actor(page, operator, someone_elsewhere, api):
    invite(api, operator, someone_elsewhere.user.email)
    body = page(operator).get("/dashboard/audit/").content.decode()
    assert "Riley" not in body


def test_an_address_can_be_invited_by_two_organizations_at_once(api, operator, outsider):
    person = UserFactory(full_name="Two Places")
    assert invite(api, operator, person.email).status_code == 201
    assert invite(api, outsider, person.email).status_code == 201
    assert Membership.objects.filter(user=person, accepted_at__isnull=True).count() == 2


def test_a_pending_invitation_cannot_be_made_active_behind_the_services_back(operator, someone_elsewhere):
    invited = MembershipFactory(
        organization=operator.organization, user=someone_elsewhere.user, accepted_at=None, is_active=False
    )
    invited.is_active = True
    with pytest.raises(IntegrityError), transaction.atomic():
        invited.save()


def test_the_audit_log_cannot_be_filtered_by_someone_only_invited(api, operator, someone_elsewhere):
    invite(api, operator, someone_elsewhere.user.email)
    response = api(operator).get(f"/api/v1/audit-log/?actor={someone_elsewhere.user.pk}")
    assert response.status_code == 400
    assert "actor" in response.json()
