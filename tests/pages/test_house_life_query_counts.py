"""Every house-life list page costs the same number of queries whatever it holds: measured on the small world,
then again once the house has many more residents, each with tests (one waiting for the lab), incidents, meetings,
a sign-out or a pass away now, a pass request, signatures, chores and grievances (and the resident shown has a longer
history)."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.calendar import week_of
from accounts.models import Membership, Role
from houses.models import House
from residents.chores import services as chore_services
from residents.conduct.services import incidents as incident_services
from residents.core.services.stays import stay_admit
from residents.meetings import services as meeting_services
from residents.program.services import signouts as signout_services
from residents.testing.services import drug_test_draws as draw_services
from residents.testing.services import drug_tests as test_services
from tests.factories import BedFactory, HouseFactory, MembershipFactory, ResidentFactory
from tests.residents.rules_factories import current_set, file_grievance, sign

from .house_life_world import PANEL


def _grow(operator, manager, life, count):
    """``count`` more residents in the manager's house with one of everything each, more history for the resident
    shown, more chores, a meeting with everyone, and earlier weeks' draws."""
    house, own = life["house"], life["resident"]
    organization = house.organization
    today = organization.today()
    start = house.chores.count()
    for n in range(count):
        resident = ResidentFactory(organization=organization)
        bed = BedFactory(room=house.rooms.first())
        stay = stay_admit(actor=operator, resident=resident, bed=bed, on=today - timedelta(days=40))
        collected = timezone.now() - timedelta(hours=3 + n)
        for who in (resident, own):
            test_services.drug_test_record(
                actor=manager, resident=who, collected_at=collected, method="urine_cup", reason="random",
                panel=PANEL, result="positive", positive_substances=["thc"],
            )  # fmt: skip
        test_services.drug_test_record(  # waiting for the lab: a row with its own result form
            actor=manager, resident=resident, collected_at=collected, method="lab_urine", reason="random",
            panel=PANEL, result="pending_lab",
        )  # fmt: skip
        incident_services.incident_record(
            actor=manager, house=house, occurred_at=collected, category="curfew", severity="medium",
            what_happened="Came in late.", residents=[resident, own], action="warning",
        )  # fmt: skip
        for who in (resident, own):
            meeting_services.recovery_meeting_record(
                actor=manager,
                resident=who,
                attended_on=today - timedelta(days=2),
                meeting_type="na",
                name=f"Group {start + n}",
            )
        if n % 3 == 0:  # out now; else away on a pass since yesterday, or in (offered on the sign-out form)
            signout_services.signout_create(
                actor=manager, stay=stay, destination="Work", signed_out_at=timezone.now() - timedelta(hours=1),
                expected_return_at=timezone.now() + timedelta(hours=4),
            )  # fmt: skip
        elif n % 3 == 1:
            away = signout_services.pass_request(
                actor=manager, stay=stay, leave_on=today - timedelta(days=1), return_on=today + timedelta(days=1),
                destination="Sister's house", contact_phone="555",
            )  # fmt: skip
            signout_services.pass_approve(actor=manager, pass_=away, override=True, reason="Family visit.")
        signout_services.pass_request(
            actor=manager, stay=stay, leave_on=today + timedelta(days=3), return_on=today + timedelta(days=4),
            destination="Home", contact_phone="555",
        )  # fmt: skip
        test_services.test_request_create(actor=manager, resident=resident, reason="for_cause", due_on=today)
        sign(resident, rule_set=current_set(house))
        login = MembershipFactory(organization=organization, role=Role.RESIDENT)
        resident.membership = login
        resident.save(update_fields=["membership"])
        file_grievance(login, subject=f"Grievance {n}")
        chore_services.chore_create(actor=manager, house=house, name=f"Chore {start + n}", frequency="daily")
    chore_services.chore_rotation_generate(actor=manager, house=house, week_start=week_of(today)[0])
    everyone = [stay.resident for stay in house.stays.filter(move_out__isnull=True).select_related("resident")]
    meeting_services.house_meeting_log(
        actor=manager,
        house=house,
        held_at=timezone.now() - timedelta(hours=count + 1),
        facilitator=manager,
        attendees=everyone,
    )
    earliest = house.drug_test_draws.order_by("week_start").first().week_start
    for weeks in range(1, count + 1):
        draw_services.drug_test_draw(actor=manager, house=house, week_start=earliest - timedelta(weeks=weeks))
    for _ in range(count):  # more houses for the dashboard, each with its own manager
        other = HouseFactory(organization=organization, beds=2)
        MembershipFactory(organization=organization, role=Role.MANAGER).houses.add(other)
        manager.houses.add(other)


def _house_page(tail):
    return lambda life: f"/dashboard/houses/{life['house'].pk}/{tail}"


PAGES = {
    "dashboard": ("manager", lambda life: "/dashboard/"),
    "rules": ("manager", _house_page("rules/")),
    "chores": ("manager", _house_page("chores/")),
    "drug tests": ("manager", _house_page("drug-tests/")),
    "draw replay": (
        "manager",
        lambda life: f"/dashboard/houses/{life['house'].pk}/drug-tests/draws/{life['draw'].pk}/",
    ),
    "meetings": ("manager", _house_page("meetings/")),
    "sign-outs": ("manager", _house_page("sign-outs/")),
    "passes": ("manager", _house_page("passes/")),
    "resident page": ("manager", lambda life: f"/dashboard/residents/{life['resident'].pk}/"),
    "phases": ("operator", lambda life: "/dashboard/phases/"),
    "grievances": ("operator", lambda life: "/dashboard/grievances/"),
}


def test_every_house_life_page_runs_a_constant_number_of_queries(page, life, operator, manager):
    """Each page measured with one house of life, then with seven (grown once for all the pages)."""
    clients = {"operator": page(operator), "manager": page(manager)}

    def measure():
        counts = {}
        for name, (role, path) in PAGES.items():
            clients[role].get(path(life))  # sessions and caches warm
            with CaptureQueriesContext(connection) as queries:
                assert clients[role].get(path(life)).status_code == 200
            counts[name] = len(queries)
        return counts

    _grow(operator, manager, life, 1)
    small = measure()
    _grow(operator, manager, life, 6)
    large = measure()
    assert max(small.values()) <= 45, small
    assert {name: large[name] <= small[name] for name in PAGES} == dict.fromkeys(PAGES, True), (small, large)


def test_the_dashboard_costs_the_same_for_two_houses_or_twenty(
    page, life, operator, manager, django_assert_max_num_queries
):
    client = page(operator)
    client.get("/dashboard/")
    with django_assert_max_num_queries(34) as small:
        client.get("/dashboard/")
    measured = len(small.captured_queries)
    organization = operator.organization
    for _ in range(18):
        house = HouseFactory(organization=organization, beds=3)
        for bed in house.beds.all():
            stay_admit(actor=operator, resident=ResidentFactory(organization=organization), bed=bed,
                       on=organization.today() - timedelta(days=20))  # fmt: skip
        chore_services.chore_create(actor=operator, house=house, name="Dishes", frequency="daily")
        chore_services.chore_rotation_generate(actor=operator, house=house, week_start=week_of(organization.today())[0])
    assert House.objects.filter(organization=organization).count() == 20
    assert Membership.objects.filter(organization=organization).exists()
    with django_assert_max_num_queries(measured):
        client.get("/dashboard/")
