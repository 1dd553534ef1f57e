"""Demo: the first house's bed board shows every badge a manager looks for at a glance, and its waitlist has someone
to accept and admit to a free bed.

The other seeds usually leave these in place already (rent past due from the billing seed, last night's late return
from the phases seed, drug tests due, people signed out); this one makes sure the rest appear in the manager's first
house whatever the day and the hour the demo is seeded: a test due today, someone signed out now, and an accepted
applicant who fits a free bed. Each step first looks for what it would add, so a second run changes nothing.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Membership, Organization, Role
from demo.seed_phases import after_last_curfew
from houses.models import House
from residents.core.selectors.bed_board import free_beds
from residents.core.services.applications import application_create, application_move
from residents.models import Application, SignOut, Stay, TestRequest
from residents.program.selectors.curfew import curfews_tonight
from residents.program.services import signouts as signout_services
from residents.testing.services import drug_tests as test_services


def seed(organization: Organization) -> None:
    operator = Membership.objects.filter(organization=organization, role=Role.OPERATOR).order_by("pk").first()
    house = House.objects.filter(organization=organization, status=House.Status.ACTIVE).order_by("pk").first()
    if operator is None or house is None:
        return
    seed_test_due(house, operator)
    seed_out_now(house, operator)
    seed_waiting_applicant(house, operator)


def _stays(house: House):
    """Residents living in the house, not the demo portal resident (their own story is told by the portal seeds)."""
    today = house.organization.today()
    return (
        Stay.objects.open()
        .filter(house=house, move_in__lt=today - timedelta(days=1), resident__membership__isnull=True)
        .select_related("resident")
        .order_by("move_in", "pk")
    )


def seed_test_due(house: House, operator: Membership) -> None:
    """A drug test due today for one resident, unless one is due or overdue already."""
    today = house.organization.today()
    if TestRequest.objects.open().filter(house=house, due_on__lte=today).exists():
        return
    stay = _stays(house).first()
    if stay is not None:
        test_services.test_request_create(
            actor=operator, resident=stay.resident, reason="scheduled", due_on=today,
            note="Monthly test for the phase",
        )  # fmt: skip


def seed_out_now(house: House, operator: Membership) -> None:
    """One resident signed out now, unless someone is out already. Left 40 minutes ago and back within the evening;
    late at night, out since before their curfew (signing out after it would be a violation of its own)."""
    if SignOut.objects.open().filter(house=house).exists():
        return
    now = timezone.now()
    busy = SignOut.objects.filter(signed_in_at__isnull=True).values("stay")
    stays = _stays(house).exclude(pk__in=busy).order_by("-move_in", "-pk")
    curfews = curfews_tonight(organization=house.organization, stays=stays, now=now)
    for stay in stays:
        curfew = curfews.get(stay.pk)
        left = after_last_curfew(house.organization, now - timedelta(minutes=40), now=now)
        back = now + timedelta(hours=1, minutes=30)
        if curfew is not None and left > curfew.deadline - timedelta(hours=1):
            left = curfew.deadline - timedelta(hours=2)
            back = max(curfew.deadline - timedelta(minutes=15), now + timedelta(minutes=30))
        if SignOut.objects.filter(stay=stay, signed_in_at__gt=left).exists():
            continue  # it would overlap a sign-out of theirs
        signout_services.signout_create(
            actor=operator, stay=stay, destination="Work", signed_out_at=left, expected_return_at=back
        )
        return


def seed_waiting_applicant(house: House, operator: Membership) -> None:
    """An accepted applicant asking for this house, while it has a free bed (the other seeds leave a few)."""
    if not free_beds(viewer=operator, night=house.organization.today(), houses=House.objects.filter(pk=house.pk)):
        return
    if Application.objects.waitlist_for(house).filter(status=Application.Status.ACCEPTED).exists():
        return
    application = application_create(
        actor=operator, first_name="Rafael", last_name="Dominguez", phone="(555) 614-2207",
        email="rafael.dominguez@example.net", preferred_house=house, preferred_gender=house.gender,
        referral_source="County detox", applied_on=house.organization.today() - timedelta(days=4),
    )  # fmt: skip
    for status in ("screening", "waitlisted", "accepted"):
        application = application_move(actor=operator, application=application, to=status)
