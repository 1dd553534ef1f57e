"""A Spanish-speaking resident with something on every portal page: a phase, chores, a test asked for and one taken,
an outside and a house meeting, a sign-out, a pass waiting, a grievance, rent owed past due and an online payment."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from billing.services.ledger import charge_post
from tests.billing.online.conftest import make_online
from tests.pages.portal_factories import (
    ask_for_a_test,
    attended_house_meeting,
    chore,
    drug_test,
    give_phases,
    grievance,
    outside_meeting,
    overnight_pass,
    portal_client,
    sign_out,
    stay_of,
)

# Mid-June in the house: the 900.00 dated June 1 is two weeks past due.
MID_JUNE = datetime(2026, 6, 15, 12, 0, tzinfo=ZoneInfo("America/Chicago"))


def reads_spanish(membership):
    """The resident of ``membership`` reads Spanish, on the login and on the resident record."""
    membership.user.preferred_language = "es"
    membership.user.save(update_fields=["preferred_language"])
    membership.resident.preferred_language = "es"
    membership.resident.save(update_fields=["preferred_language"])
    return membership


def spanish_resident_with_records(operator, membership):
    """``membership``'s resident reads Spanish and has a record of each kind the portal shows."""
    reads_spanish(membership)
    stay = stay_of(membership)
    today = stay.organization.today()
    give_phases(operator, stay)
    chore(stay, day=today, name="Kitchen")
    chore(stay, day=today, name="Porch", status="done", marked_by=operator.user)
    drug_test(stay, actor=operator)
    ask_for_a_test(stay, actor=operator)
    outside_meeting(stay)
    attended_house_meeting(stay)
    sign_out(stay, actor=operator)
    overnight_pass(stay, actor=membership)
    filed = grievance(membership)
    charge_post(
        actor=operator, resident=membership.resident, kind="program_fee", amount="900.00", memo="June",
        effective_on=date(2026, 6, 1),
    )  # fmt: skip
    make_online(membership.resident, "100.00", intent="pi_spanish")
    return {"grievance": filed, "client": portal_client(membership)}
