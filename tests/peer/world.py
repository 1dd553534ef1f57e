"""A peer-run house in full, for the access matrices: seven members (six officers and one plain member), a chapter,
standing expenses and a share, a register with a January audit, January's chapter report, last week's closed
meeting and tonight's open one with a motion on the floor, and an applicant. Built on March 11, 2026, 8 p.m."""

from datetime import date

import pytest
from django.db import transaction

from accounts.models import Role
from billing.services.ledger import charge_post
from peer.models import BankEntry, OfficerTerm
from peer.services import chapters, governance, meetings, money
from residents.chores.services import chore_create, chore_rotation_generate
from residents.core.services.applications import application_receive
from residents.models import ChoreAssignment
from tests.access import request_as, world_once_per_module
from tests.factories import HouseFactory, operator_of
from tests.peer.conftest import OFFICERS, TODAY, add_member, at, peer_run

PEER_ROLES = ["president", "secretary", "treasurer", "comptroller", "coordinator", "house_services_rep", "member"]
WORLD_INSTANT = at(TODAY, 20)


def build_peer_world(organization) -> dict:
    operator = operator_of(organization)
    house = HouseFactory(organization=organization, name="Oxford on Elm", beds=8)
    chapter = chapters.chapter_create(actor=operator, name="Elm Valley", area="Springfield")
    house = peer_run(house, chapter=chapter)
    residents = {}
    for office in [*OFFICERS, "member"]:
        residents[office] = add_member(house, legal_first_name=office.split("_")[0].title(), legal_last_name="Peer")
        if office != "member":
            governance.officer_elect(actor=operator, house=house, office=office, resident=residents[office],
                                     starts_on=date(2026, 1, 10))  # fmt: skip
    login = {office: resident.membership for office, resident in residents.items()}
    assert all(membership.role == Role.RESIDENT for membership in login.values())

    comptroller, treasurer, president = login["comptroller"], login["treasurer"], login["president"]
    expense = money.expected_expense_add(actor=comptroller, house=house, kind="rent", payee="Elm St Properties",
                                         amount="2600")  # fmt: skip
    share = money.share_set(actor=comptroller, house=house, starts_on=date(2026, 3, 16))
    money.bank_entry_record(actor=treasurer, house=house, kind="opening", amount="900", entry_on=date(2026, 1, 31))
    january = money.audit_prepare(
        actor=comptroller, house=house, month=date(2026, 1, 1), statement_balance="900",
        cleared=BankEntry.objects.filter(house=house), auditors=[residents["secretary"], residents["coordinator"]],
    )  # fmt: skip
    deposit = money.bank_entry_record(actor=treasurer, house=house, kind="deposit", amount="489",
                                      entry_on=date(2026, 2, 9))  # fmt: skip
    bill = money.bill_record(actor=treasurer, house=house, kind="utilities", payee="City Power", amount="140",
                             received_on=date(2026, 3, 2), due_on=date(2026, 3, 20))  # fmt: skip
    payment = money.share_payment_record(actor=treasurer, member=residents["secretary"], method="cash",
                                         amount="81.50", received_on=date(2026, 3, 10))  # fmt: skip
    # The coordinator owes two months of an old program fee: behind by more than the charter's 100.
    charge_post(actor=operator, resident=residents["coordinator"], kind="program_fee", amount="240",
                effective_on=date(2026, 2, 1))  # fmt: skip
    report = chapters.house_report_file(actor=login["house_services_rep"], house=house, month=date(2026, 1, 1))

    last_week = meetings.meeting_open(actor=president, house=house, held_at=at(date(2026, 3, 4)))
    meetings.meeting_attendance_set(actor=president, meeting=last_week, present=list(residents.values()))
    meetings.meeting_close(actor=president, meeting=last_week)
    tonight = meetings.meeting_open(actor=president, house=house, held_at=at(TODAY))
    meetings.meeting_attendance_set(actor=president, meeting=tonight, present=list(residents.values()))
    contract = money.behaviour_contract_record(actor=president, meeting=tonight, member=residents["coordinator"],
                                               terms="Pays $40 extra each Friday until caught up")  # fmt: skip
    motion = meetings.motion_make(actor=president, meeting=tonight, text="Buy a vacuum cleaner",
                                  moved_by=residents["treasurer"], seconded_by=residents["member"])  # fmt: skip
    applicant = application_receive(
        organization=organization, received_via="website", first_name="Sam", last_name="Ortiz",
        phone="(555) 300-4000", preferred_house=house, applied_on=date(2026, 3, 2),
    )  # fmt: skip
    chore_create(actor=operator, house=house, name="Kitchen", frequency="daily")
    chore_rotation_generate(actor=operator, house=house, week_start=date(2026, 3, 9))
    chore = ChoreAssignment.objects.filter(house=house, due_date=date(2026, 3, 10)).first()
    return {
        "chore": chore,
        "peer_house": house, "chapter": chapter, "expense": expense, "share": share, "january_audit": january,
        "deposit": deposit, "bill": bill, "report": report, "last_week": last_week, "tonight": tonight,
        "motion": motion, "applicant": applicant, "payment": payment, "contract": contract,
        **{f"{office}_resident": r for office, r in residents.items()},
        **login, "free_bed": house.beds.order_by("-pk").first(),
        "president_term": OfficerTerm.objects.get(house=house, office="president"),
    }  # fmt: skip


# The peer access matrices (tests/peer/test_access_peer_api.py and test_access_peer_pages.py): the organization's
# roles of tests/access.py, then each office of the peer-run house and a member holding none.
MATRIX_ROLES = ["operator", "manager", "resident_member", "outsider", *PEER_ROLES]


def cells(default, **over) -> dict:
    """A matrix row's expected status per role: ``default`` unless named (``hsr`` for the house services rep)."""
    over = {("house_services_rep" if role == "hsr" else role): status for role, status in over.items()}
    return {role: over.get(role, default) for role in MATRIX_ROLES}


def matrix_fixtures() -> dict:
    """The matrix module's fixtures: the world made once for the module (``tests.access.world_once_per_module``) with
    a staff-run ``house`` beside the peer-run one, and ``acting(role)``: the membership that plays each role."""

    def build(organization, house, **_made):
        return {"house": house, **build_peer_world(organization)}

    fixtures = world_once_per_module(
        build,
        ["organization", "house", "foreign_house", "operator", "manager", "resident_member", "outsider"],
        start=lambda **_made: WORLD_INSTANT,
    )

    @pytest.fixture
    def acting(request, world):
        def as_role(role):
            return world[role] if role in PEER_ROLES else request.getfixturevalue(role)

        return as_role

    return {**fixtures, "acting": acting}


def each_role_answers(client_for, method: str, path: str, body, world: dict) -> dict:
    """Every role tries the row in turn, each on the world as it was (a savepoint per role): the status each got."""
    answered = {}
    for role in MATRIX_ROLES:
        with transaction.atomic():
            answered[role] = request_as(client_for(role), method, path, body, world).status_code
            transaction.set_rollback(True)
    return answered
