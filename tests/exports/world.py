"""One organization's data in every shape an export writes: two residents with stays and beds, a ledger with charges,
a payment and a reversal, drug tests with substances, an incident involving both, notes, signed rules, chores,
sign-outs, phases, meetings, a grievance. Made for the test organization and again for the other one, with other
names, so an export of one can be searched for the other's."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from billing.services import ledger as ledger_services
from billing.services import payments as payment_services
from residents.conduct.services import incidents as incident_services
from residents.models import Resident
from residents.program.services import phases as phase_services
from tests.clock import local_moment
from tests.factories import HouseFactory, MembershipFactory, ResidentFactory, admit
from tests.pages.portal_factories import chore, local
from tests.residents.chores_factories import house_meeting, log_attendance
from tests.residents.drug_tests_factories import record_incident, record_test
from tests.residents.phases_factories import log_out, make_phases
from tests.residents.rules_factories import file_grievance, publish_defaults, sign

# The module clock of every export test: after the data's dates.
NOW = local_moment(2026, 3, 10, 12)


@dataclass
class World:
    organization: object
    house: object
    operator: object
    member: Resident  # has a portal login
    other: Resident  # lives in the same house
    names: list[str]  # words that name this world's people and places


def populate(organization, operator, *, house=None, first=("Ana", "Acosta"), second=("Bruno", "Baptiste"),
             house_name="Cedar House") -> World:  # fmt: skip
    house = house or HouseFactory(organization=organization, name=house_name, beds=4)
    login = MembershipFactory(organization=organization, role="resident", user__email=f"{first[0].lower()}@example.org")
    member = ResidentFactory(organization=organization, membership=login, legal_first_name=first[0],
                             legal_last_name=first[1])  # fmt: skip
    other = ResidentFactory(organization=organization, legal_first_name=second[0], legal_last_name=second[1])
    stays = [admit(house, on=date(2026, 1, 10), resident=r, actor=operator) for r in (member, other)]
    make_phases(organization)
    for stay in stays:
        phase_services.phase_start(actor=operator, stay=stay)
    for resident in (member, other):
        ledger_services.charge_post(actor=operator, resident=resident, kind="program_fee", amount="150.00",
                                    memo="Intake fee", effective_on=date(2026, 2, 2))  # fmt: skip
        fine = ledger_services.charge_post(actor=operator, resident=resident, kind="fine", amount="20.00",
                                           memo="=Broken lamp", effective_on=date(2026, 2, 3))  # fmt: skip
        ledger_services.entry_reverse(actor=operator, entry=fine, memo="Waived", effective_on=date(2026, 2, 4))
        payment_services.payment_record(actor=operator, resident=resident, method="cash", amount=Decimal("60.00"),
                                        received_on=date(2026, 2, 5))  # fmt: skip
        record_test(operator, resident, on=date(2026, 2, 10), result="positive", positive_substances=["thc"])
        incident_services.resident_note_add(actor=operator, resident=resident, body=f"Check in with {resident}.")
        log_attendance(resident.stays.get(), attended_on=date(2026, 2, 12))
    record_incident(operator, house, on=date(2026, 2, 14), residents=[member, other],
                    what_happened=f"{first[0]} and {second[0]} {second[1]} argued in the kitchen.")  # fmt: skip
    publish_defaults(operator)
    sign(member, house)
    chore(stays[0], day=date(2026, 2, 16), name="Kitchen")
    log_out(stays[0], actor=operator, out_at=local(organization, date(2026, 2, 17), 9),
            back_at=local(organization, date(2026, 2, 17), 17))  # fmt: skip
    house_meeting(house, attendees=[member, other])
    file_grievance(login, subject="Noise at night")
    return World(organization, house, operator, member, other,
                 names=[first[0], first[1], second[0], second[1], house.name, organization.name,
                        organization.slug])  # fmt: skip
