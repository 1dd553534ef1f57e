"""House life in the page tests' small world: one of everything (rules, chores, a draw and its request, a test,
an incident, meetings, a sign-out, a waiting pass, a grievance) in the manager's house, in another house of the
organization and in another organization, so every house-life page can be tried by every role.

``life`` (a fixture, registered by ``tests/pages/conftest.py``) returns the objects by name; ``ids(life)`` turns
them into the ids a URL template needs, and ``snapshot()`` counts every kind of row the pages can write.
"""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.calendar import week_of
from accounts.models import AuditEntry, Membership, Role, User
from residents.chores import services as chore_services
from residents.conduct.services import incidents as incident_services
from residents.house_rules import services as rule_services
from residents.meetings import services as meeting_services
from residents.models import (
    Chore,
    ChoreAssignment,
    Draw,
    DrugTest,
    Grievance,
    HouseMeeting,
    HouseRule,
    Incident,
    OvernightPass,
    Phase,
    PhaseChange,
    RecoveryMeetingAttendance,
    RuleSet,
    SignOut,
    TestRequest,
)
from residents.program.services import phases as phase_services
from residents.program.services import signouts as signout_services
from residents.testing.services import drug_test_draws as draw_services
from residents.testing.services import drug_tests as test_services
from tests.residents.phases_factories import make_phases
from tests.residents.rules_factories import file_grievance, publish_defaults

PANEL = ["thc", "cocaine", "opiates"]


def _house_life(*, actor, house, stay, rng_seed):
    """One of each house-life record in ``house`` for the resident of ``stay``, recorded by ``actor``."""
    organization = house.organization
    today = organization.today()
    monday = week_of(today)[0]
    phase_services.phase_set_initial(actor=actor, stay=stay)
    chore = chore_services.chore_create(actor=actor, house=house, name="Kitchen", frequency="daily")
    chore_services.chore_rotation_generate(actor=actor, house=house, week_start=monday)
    draw, _created = draw_services.drug_test_draw(actor=actor, house=house, week_start=monday, seed=rng_seed)
    collected = timezone.now() - timedelta(days=2)
    test = test_services.drug_test_record(
        actor=actor, resident=stay.resident, collected_at=collected, method="urine_cup", reason="for_cause",
        panel=PANEL, result="negative",
    )  # fmt: skip
    incident = incident_services.incident_record(
        actor=actor, house=house, occurred_at=collected, category="conduct", severity="low",
        what_happened="Raised voice at the house meeting.", residents=[stay.resident], action="warning",
    )  # fmt: skip
    meeting = meeting_services.house_meeting_log(
        actor=actor, house=house, held_at=collected, facilitator_name="Senior resident", attendees=[stay.resident],
        minutes="Chores reviewed.",
    )  # fmt: skip
    attendance = meeting_services.recovery_meeting_record(
        actor=actor, resident=stay.resident, attended_on=today - timedelta(days=1), meeting_type="aa", name="Downtown"
    )
    sign_out = signout_services.signout_create(
        actor=actor, stay=stay, destination="Work", signed_out_at=timezone.now() - timedelta(hours=2),
        expected_return_at=timezone.now() + timedelta(hours=3),
    )  # fmt: skip
    pass_ = signout_services.pass_request(
        actor=actor, stay=stay, leave_on=today + timedelta(days=5), return_on=today + timedelta(days=7),
        destination="Mother's house", contact_phone="(555) 010-2000",
    )  # fmt: skip
    return {
        "chore": chore,
        "assignment": ChoreAssignment.objects.filter(chore=chore, due_date=today).get(),
        "draw": draw,
        "request": TestRequest.objects.get(draw=draw),
        "test": test,
        "incident": incident,
        "meeting": meeting,
        "attendance": attendance,
        "sign_out": sign_out,
        "pass": pass_,
    }


@pytest.fixture
def life(world, organization, other_organization, operator, outsider, manager, resident_member):
    """The world is an afternoon in the house (a resident out since noon, back by five, a test two days ago): each
    test using it runs from 2 p.m. house time of today, so nothing in it crosses a curfew or midnight, whatever the
    hour the suite runs at. The day is left as it comes."""
    afternoon = datetime.combine(organization.today(), time(14), tzinfo=organization.tzinfo)
    with time_machine.travel(afternoon, tick=True):
        yield _life(world, organization, other_organization, operator, outsider, manager, resident_member)


def _life(world, organization, other_organization, operator, outsider, manager, resident_member):
    make_phases(organization)
    make_phases(other_organization)
    publish_defaults(operator)
    publish_defaults(outsider)
    default_rule = HouseRule.objects.filter(organization=organization, house__isnull=True).order_by("pk").first()
    own_rule = rule_services.rule_add(
        actor=manager, house=world["house"], category="conduct", text="Quiet hours from 10 pm.", consequence="Warning."
    )
    other_rule = rule_services.rule_add(
        actor=operator, house=world["other_house"], category="conduct", text="Lights out at 11.", consequence="A talk."
    )
    objects = {
        "house": world["house"], "other_house": world["other_house"], "foreign_house": world["foreign_house"],
        "resident": world["resident"], "other_resident": world["other_resident"],
        "foreign_resident": world["foreign_resident"], "stay": world["stay"], "other_stay": world["other_stay"],
        "foreign_stay": world["foreign_stay"], "rule": own_rule, "default_rule": default_rule,
        "other_rule": other_rule,
        "phase": Phase.objects.filter(organization=organization).order_by("order").first(),
        "foreign_phase": Phase.objects.filter(organization=other_organization).order_by("order").first(),
    }  # fmt: skip
    for prefix, actor, stay, seed in [
        ("", manager, world["stay"], 1),
        ("other_", operator, world["other_stay"], 2),
        ("foreign_", outsider, world["foreign_stay"], 3),
    ]:
        house = stay.house
        for name, obj in _house_life(actor=actor, house=house, stay=stay, rng_seed=seed).items():
            objects[prefix + name] = obj
    objects["grievance"] = file_grievance(resident_member)
    foreign_login = Membership.objects.create(
        user=User.objects.create_user(email="far@example.org", password="x"),
        organization=other_organization,
        role=Role.RESIDENT,
    )
    world["foreign_resident"].membership = foreign_login
    world["foreign_resident"].save(update_fields=["membership"])
    objects["foreign_grievance"] = file_grievance(foreign_login, subject="Cold showers")
    return objects


def ids(life) -> dict:
    return {name: obj.pk for name, obj in life.items()}


WRITTEN = [
    AuditEntry, Chore, ChoreAssignment, Draw, DrugTest, Grievance, HouseMeeting, HouseRule, Incident, OvernightPass,
    Phase, PhaseChange, RecoveryMeetingAttendance, RuleSet, SignOut, TestRequest,
]  # fmt: skip


def snapshot() -> dict:
    """What the pages can change: row counts of every kind, and the states a POST could move."""
    counts = {model.__name__: model.objects.count() for model in WRITTEN if model is not AuditEntry}
    states = {
        "chores": sorted(ChoreAssignment.objects.values_list("pk", "status", "note")),
        "requests": sorted(TestRequest.objects.values_list("pk", "status")),
        "results": sorted(DrugTest.objects.values_list("pk", "result")),
        "sign_outs": sorted(SignOut.objects.values_list("pk", "signed_in_at")),
        "passes": sorted(OvernightPass.objects.values_list("pk", "status", "returned_at")),
        "grievances": sorted(Grievance.objects.values_list("pk", "status", "response")),
        "attendance": sorted(RecoveryMeetingAttendance.objects.values_list("pk", "verified_at")),
        "chore_defs": sorted(Chore.objects.values_list("pk", "name", "weekdays", "is_active")),
        "phases": sorted(Phase.objects.values_list("pk", "name", "order", "passes_per_month")),
        "rules": sorted(HouseRule.objects.values_list("pk", "current_version_id", "retired_at")),
        "fines": sorted(Incident.objects.values_list("pk", "fine_amount")),
    }
    return {**counts, **states}
