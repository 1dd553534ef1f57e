"""Test data for the resident portal pages: a second resident with a login in the same house, phases, and one helper
per kind of record a resident reads (chores, tests, meetings, sign-outs, passes, grievances)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from residents.conduct.services import grievances as grievance_services
from residents.models import ChoreAssignment, Stay
from residents.program.services import phases as phase_services
from residents.program.services import signouts as signout_services
from residents.testing.services import drug_tests as test_services
from tests.forms import FormClient
from tests.residents.chores_factories import ChoreFactory, house_meeting, log_attendance
from tests.residents.phases_factories import make_phases
from tests.residents.rules_factories import resident_with_login

PORTAL_PAGES = [
    "/portal/", "/portal/rules/", "/portal/chores/", "/portal/tests/", "/portal/meetings/", "/portal/phase/",
    "/portal/sign-out/", "/portal/passes/", "/portal/grievances/", "/portal/grievances/new/",
]  # fmt: skip


def portal_client(membership) -> FormClient:
    """A browser signed in as ``membership``; ``.submit()`` sends a portal page's form as it is rendered."""
    client = FormClient()
    client.force_login(membership.user)
    return client


def stay_of(membership) -> Stay:
    return membership.resident.stays.get(move_out__isnull=True)


def neighbour_in(operator, house):
    """Another resident with a portal login, living in ``house``: whose records must never show on ours."""
    resident = resident_with_login(operator, house)
    resident.legal_first_name, resident.legal_last_name = "Nora", "Neighbour"
    resident.save(update_fields=["legal_first_name", "legal_last_name"])
    return resident.membership


def give_phases(operator, *stays):
    """The three test phases (Stabilization, Accountability, Independence), each stay starting in the first."""
    phases = make_phases(operator.organization)
    for stay in stays:
        phase_services.phase_start(actor=operator, stay=stay)
    return phases


def local(organization, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=organization.tzinfo)


def chore(stay, *, day: date, name: str, status: str = "pending", marked_by=None, note: str = "") -> ChoreAssignment:
    definition = ChoreFactory(house=stay.house, name=name)
    marked = status in ChoreAssignment.MARKS
    return ChoreAssignment.objects.create(
        organization=stay.organization, house=stay.house, chore=definition, resident=stay.resident, stay=stay,
        due_date=day, status=status, note=note, marked_by=marked_by if marked else None,
        marked_at=timezone.now() if marked else None,
    )  # fmt: skip


def drug_test(stay, *, actor, days_ago: int = 2, result: str = "negative", positives=()):
    organization = stay.organization
    return test_services.drug_test_record(
        actor=actor, resident=stay.resident,
        collected_at=local(organization, organization.today() - timedelta(days=days_ago), 9),
        method="urine_cup", reason="random", panel=["thc", "cocaine", "opiates"], result=result,
        positive_substances=positives,
    )  # fmt: skip


def ask_for_a_test(stay, *, actor, due_in: int = 2, reason: str = "scheduled"):
    organization = stay.organization
    return test_services.test_request_create(
        actor=actor, resident=stay.resident, reason=reason, due_on=organization.today() + timedelta(days=due_in)
    )


def outside_meeting(stay, *, days_ago: int = 1, name: str = "Early Bird Group"):
    return log_attendance(stay, attended_on=stay.organization.today() - timedelta(days=days_ago), name=name)


def attended_house_meeting(stay, *, days_ago: int = 3, facilitator_name: str = "Senior resident"):
    return house_meeting(stay.house, days_ago=days_ago, facilitator_name=facilitator_name, attendees=[stay.resident])


def sign_out(stay, *, actor, hours_ago: int = 30, back: bool = True, destination: str = "Work"):
    """A sign-out recorded by staff ``hours_ago`` hours ago (and back two hours later, unless ``back`` is False)."""
    out_at = timezone.now() - timedelta(hours=hours_ago)
    entry = signout_services.signout_create(
        actor=actor, stay=stay, destination=destination, expected_return_at=out_at + timedelta(hours=3),
        signed_out_at=out_at,
    )  # fmt: skip
    if back:
        entry = signout_services.signout_sign_in(actor=actor, stay=stay, signed_in_at=out_at + timedelta(hours=2))
    return entry


def overnight_pass(stay, *, actor, leave_in: int = 5, nights: int = 1, destination: str = "Sister's house"):
    leave_on = stay.organization.today() + timedelta(days=leave_in)
    return signout_services.pass_request(
        actor=actor, stay=stay, leave_on=leave_on, return_on=leave_on + timedelta(days=nights),
        destination=destination, contact_phone="(555) 010-3000",
    )  # fmt: skip


def grievance(membership, *, subject: str = "Broken dryer", about: str = "house"):
    return grievance_services.grievance_file(
        actor=membership, subject=subject, details="It has not worked for two weeks.", about=about
    )
