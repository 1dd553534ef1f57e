"""The demo's invitations waiting for an answer: a house manager invited to Willow House and a resident of Maple
House invited to the portal. Neither can sign in until they accept through the link in their e-mail (printed in the
server's console by the demo's e-mail backend when seeded)."""

from django.conf import settings

from accounts.models import Membership, Organization, Role
from houses import services as house_services
from houses.models import House
from residents.core.services import residents as resident_services
from residents.models import Stay

STAFF_EMAIL = "jordan.invited@example.com"
STAFF_NAME = "Jordan Ellis"


def seed(organization: Organization) -> None:
    """Runs once: an invitation already accepted or withdrawn is left as it is."""
    operator = organization.memberships.filter(role=Role.OPERATOR, is_active=True).order_by("pk").first()
    if Membership.objects.filter(organization=organization, invited_name=STAFF_NAME).exists():
        return
    base_url = settings.SITE_URL
    house_services.staff_invite(
        actor=operator, email=STAFF_EMAIL, full_name=STAFF_NAME, role=Role.MANAGER, base_url=base_url,
        houses=House.objects.filter(organization=organization, name="Willow House"),
    )  # fmt: skip
    first_house = House.objects.filter(organization=organization).order_by("pk").first()
    stay = (
        Stay.objects.open()
        .filter(house=first_house, resident__membership__isnull=True)
        .order_by("-move_in", "pk")
        .select_related("resident")
        .first()
    )
    if stay is not None:
        resident_services.resident_grant_portal_login(
            actor=operator, resident=stay.resident, email=stay.resident.email, base_url=base_url
        )
