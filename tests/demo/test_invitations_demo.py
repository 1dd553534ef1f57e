"""The demo shows one staff invitation and one resident portal invitation waiting for an answer."""

from accounts.models import Membership
from demo import seed_invitations
from tests.forms import FormClient


def _signed_in(email):
    client = FormClient()
    client.force_login(Membership.objects.get(user__email=email, role="operator").user)
    return client


def test_the_demo_has_a_staff_invitation_waiting_on_the_staff_page(demo_db):
    invitation = Membership.objects.get(user__email=seed_invitations.STAFF_EMAIL)
    assert invitation.is_pending
    assert not invitation.is_active
    assert [house.name for house in invitation.houses.all()] == ["Willow House"]
    body = _signed_in("operator@example.com").get("/dashboard/staff/").content.decode()
    assert seed_invitations.STAFF_NAME in body


def test_the_demo_has_a_resident_portal_invitation_waiting(demo_db):
    invitation = Membership.objects.get(role="resident", accepted_at__isnull=True)
    body = _signed_in("operator@example.com").get(f"/dashboard/residents/{invitation.resident.pk}/").content.decode()
    assert "has been invited to the resident portal" in body
