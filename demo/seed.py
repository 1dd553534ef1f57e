"""Realistic demo data. Every step is keyed by natural keys, so running it again changes nothing.

Dates are relative to the organization's today, so the demo always looks current.
"""

import random
from datetime import date, timedelta

from accounts.models import Membership, Organization, Role, User
from accounts.tenancy import organization_clock
from demo import (
    seed_alerts,
    seed_applications,
    seed_autopay,
    seed_billing,
    seed_cert,
    seed_chores,
    seed_closes,
    seed_connect,
    seed_drug_tests,
    seed_exports,
    seed_glance,
    seed_housepages,
    seed_imports,
    seed_incidents,
    seed_intake,
    seed_invitations,
    seed_openings,
    seed_partners,
    seed_peer,
    seed_pending_debit,
    seed_phases,
    seed_retention,
    seed_rules,
    seed_rules_es,
    seed_spanish,
    seed_stripe,
    seed_transfers,
    seed_two_factor,
    seed_vacancies,
    seed_webhooks,
)  # fmt: skip
from houses import services as bed_services
from houses.models import Bed, BedOutage, House, Room
from residents.core.services import stays as stay_services
from residents.models import Resident, Stay

DEMO_PASSWORD = "hearth-demo"  # noqa: S105 - published demo login, documented in the README

FIRST_NAMES_MEN = [
    "James", "Marcus", "Daniel", "Tyrone", "Kevin", "Luis", "Brandon", "Anthony", "Derek", "Sean",
    "Miguel", "Travis", "Eric", "Jamal", "Cody", "Ryan", "Andre", "Victor", "Nathan", "Paul",
]  # fmt: skip
FIRST_NAMES_WOMEN = [
    "Maria", "Ashley", "Tanya", "Jessica", "Keisha", "Amanda", "Rosa", "Brittany", "Crystal", "Nicole",
    "Samantha", "Laura", "Denise", "Heather", "Monique", "Kelly",
]  # fmt: skip
LAST_NAMES = [
    "Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
    "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White",
    "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott",
]  # fmt: skip
REFERRALS = ["Drug court", "County detox", "Hope Treatment Center", "Self-referral", "Family", "Probation office"]

ORGANIZATIONS = [
    {
        "slug": "second-wind",
        "name": "Second Wind Recovery Homes",
        "timezone": "America/Chicago",
        "operator": ("operator@example.com", "Olivia Operator"),
        "manager": ("manager@example.com", "Marcus Manager"),
        "managed_houses": ["Maple House", "Willow House"],
        "houses": [
            # name, gender, NARR level, street, rooms as (name, floor, beds)
            ("Maple House", "men", 2, "1418 Maple Avenue",
             [("Room 1", 1, 3), ("Room 2", 1, 3), ("Room 3", 2, 3), ("Room 4", 2, 3)]),
            ("Willow House", "women", 2, "77 Willow Street",
             [("Room A", 1, 2), ("Room B", 1, 3), ("Room C", 2, 3), ("Room D", 2, 2)]),
            ("Harbor House", "coed", 3, "902 Harbor Road",
             [("North", 1, 2), ("South", 1, 2), ("East", 2, 2), ("West", 2, 2)]),
        ],
        "city": ("Springfield", "IL", "62704"),
    },
    {
        "slug": "new-dawn",
        "name": "New Dawn Living",
        "timezone": "America/Denver",
        "operator": ("operator@other.example.com", "Oscar Other"),
        "manager": None,
        "managed_houses": [],
        "houses": [
            ("Aspen House", "men", 1, "45 Aspen Court", [("Upstairs", 2, 4), ("Downstairs", 1, 3)]),
            ("Juniper House", "women", 2, "310 Juniper Lane", [("Front", 1, 3), ("Back", 1, 3)]),
        ],
        "city": ("Boulder", "CO", "80302"),
    },
]  # fmt: skip


def _user(email: str, full_name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name)
    return user


def _membership(user: User, organization: Organization, role: str) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, organization=organization, defaults={"role": role})
    return membership


def seed_organization(spec) -> Organization:
    organization, _ = Organization.objects.get_or_create(
        slug=spec["slug"], defaults={"name": spec["name"], "timezone": spec["timezone"]}
    )
    city, state, postal_code = spec["city"]
    opened = organization.today() - timedelta(days=3 * 365)
    for index, (name, gender, level, street, rooms) in enumerate(spec["houses"]):
        house, _ = House.objects.get_or_create(
            organization=organization,
            name=name,
            defaults={
                "gender": gender, "narr_level": level, "address_line1": street, "city": city, "state": state,
                "postal_code": postal_code, "phone": f"(555) 01{index}-{4400 + index * 11}",
                "opened_on": opened + timedelta(days=200 * index),
            },
        )  # fmt: skip
        for room_name, floor, bed_count in rooms:
            room, _ = Room.objects.get_or_create(house=house, name=room_name, defaults={"floor": floor})
            for number in range(1, bed_count + 1):
                label = f"{room_name.split()[-1]}-{number}"
                if not Bed.objects.filter(room=room, label=label).exists():
                    Bed(room=room, label=label, in_service_from=house.opened_on).save()
    operator_email, operator_name = spec["operator"]
    _membership(_user(operator_email, operator_name), organization, Role.OPERATOR)
    if spec["manager"]:
        manager = _membership(_user(*spec["manager"]), organization, Role.MANAGER)
        manager.houses.add(*House.objects.filter(organization=organization, name__in=spec["managed_houses"]))
    return organization


def _operator(organization: Organization) -> Membership:
    return organization.memberships.filter(role=Role.OPERATOR).order_by("pk").first()


def seed_out_of_service_bed(organization: Organization) -> None:
    """One bed in the co-ed house is out of service for a repair, as real houses always have one."""
    coed = Bed.objects.filter(house__organization=organization, house__gender="coed")
    if BedOutage.objects.filter(bed__in=coed).exists():
        return
    bed = coed.order_by("pk").last()
    if bed and not bed.assignments.exists():
        today = organization.today()
        bed_services.bed_take_out_of_service(
            actor=_operator(organization), bed=bed, reason="Water damage to the ceiling; repair booked",
            start=today - timedelta(days=9), until=today + timedelta(days=12),
        )  # fmt: skip
        if bed.in_service_from <= today - timedelta(days=60):
            # An earlier, finished outage, so the bed's outage history shows more than the running one.
            bed_services.bed_outage_create(
                actor=_operator(organization), bed=bed, reason="Mattress replaced after a pest inspection",
                start=today - timedelta(days=60), end=today - timedelta(days=56),
            )  # fmt: skip


def seed_bed_history(organization: Organization) -> None:
    """Beds change over time: the co-ed house added a bed about ten weeks ago (months before that count one bed
    fewer) and retired another three weeks ago (the nights it served stay counted)."""
    harbor = House.objects.filter(organization=organization, gender="coed").order_by("pk").first()
    room = Room.objects.filter(house=harbor, name="West").first()
    if room is None:
        return
    actor, today = _operator(organization), organization.today()
    if not Bed.objects.filter(room=room, label="West-3").exists():
        bed_services.bed_create(actor=actor, room=room, label="West-3", in_service_from=today - timedelta(days=75))
    retiring = Bed.objects.filter(room=room, label="West-1", retired_on__isnull=True).first()
    if retiring and not retiring.assignments.exists():
        bed_services.bed_retire(actor=actor, bed=retiring, on=today - timedelta(days=20))


def names_for(gender: str, rng: random.Random):
    pool = (
        FIRST_NAMES_MEN
        if gender == "men"
        else FIRST_NAMES_WOMEN
        if gender == "women"
        else (FIRST_NAMES_MEN + FIRST_NAMES_WOMEN)
    )
    return rng.choice(pool), rng.choice(LAST_NAMES)


def seed_residents(organization: Organization, *, occupancy: float, resident_login: str | None = None) -> None:
    """Fills about ``occupancy`` of each house's beds with current residents, plus a few past stays.

    The first resident of the first house gets the portal login, when one is given.
    """
    if Stay.objects.filter(organization=organization).exists():
        return
    rng = random.Random(f"hearth-demo-{organization.slug}")  # same people every time
    operator = organization.memberships.filter(role=Role.OPERATOR).first()
    today = organization.today()
    used_names = set()
    for house in House.objects.filter(organization=organization).order_by("pk"):
        beds = list(Bed.objects.filter(house=house).in_service_on(today).select_related("room", "house"))
        for bed in beds[: max(1, round(len(beds) * occupancy))]:
            # A past resident of this bed who completed the program or left, then the current one.
            for past in (True, False):
                first, last = names_for(house.gender, rng)
                while (first, last) in used_names:
                    first, last = names_for(house.gender, rng)
                used_names.add((first, last))
                resident = Resident.objects.create(
                    organization=organization, legal_first_name=first, legal_last_name=last,
                    date_of_birth=date(today.year - rng.randint(22, 58), rng.randint(1, 12), rng.randint(1, 28)),
                    phone=f"(555) {rng.randint(200, 899)}-{rng.randint(1000, 9999)}",
                    email=f"{first}.{last}@example.net".lower(),
                    emergency_contact_name=f"{rng.choice(FIRST_NAMES_WOMEN + FIRST_NAMES_MEN)} {last}",
                    emergency_contact_phone=f"(555) {rng.randint(200, 899)}-{rng.randint(1000, 9999)}",
                    emergency_contact_relationship=rng.choice(["Mother", "Father", "Sister", "Brother", "Spouse"]),
                    sobriety_date=today - timedelta(days=rng.randint(20, 400)),
                    referral_source=rng.choice(REFERRALS),
                    payer=rng.choice(["self", "self", "self", "family", "agency", "voucher"]),
                )  # fmt: skip
                if resident.payer != Resident.Payer.SELF:
                    resident.payer_name = {
                        "family": f"{resident.emergency_contact_name}",
                        "agency": "County Behavioral Health",
                        "voucher": "State Recovery Housing Voucher",
                    }[resident.payer]
                    resident.save(update_fields=["payer_name"])
                if past:
                    move_in = today - timedelta(days=rng.randint(200, 320))
                    stay = stay_services.stay_admit(actor=operator, resident=resident, bed=bed, on=move_in)
                    bed_free_from = move_in + timedelta(days=rng.randint(60, 150))
                    stay_services.stay_discharge(
                        actor=operator, stay=stay, on=bed_free_from,
                        reason=rng.choice(["completed", "completed", "voluntary", "relapse", "rule_violation"]),
                        note="Demo history",
                    )  # fmt: skip
                else:
                    move_in = today - timedelta(days=rng.randint(3, min(150, (today - bed_free_from).days)))
                    stay_services.stay_admit(actor=operator, resident=resident, bed=bed, on=move_in)
    if resident_login:
        seed_resident_login(organization, resident_login)


def seed_resident_login(organization: Organization, email: str) -> None:
    """Gives the longest-staying current resident of the first house the demo portal login."""
    if Membership.objects.filter(user__email=email, organization=organization).exists():
        return
    first_house = House.objects.filter(organization=organization).order_by("pk").first()
    stay = Stay.objects.open().filter(house=first_house).order_by("move_in").select_related("resident").first()
    resident = stay.resident
    user = _user(email, resident.display_name)
    resident.membership = _membership(user, organization, Role.RESIDENT)
    resident.email = email
    resident.save(update_fields=["membership", "email"])


def seed_all() -> list[Organization]:
    first = seed_organization(ORGANIZATIONS[0])
    with organization_clock(first):  # each organization's history is seeded on its own clock
        seed_out_of_service_bed(first)
        seed_residents(first, occupancy=0.8, resident_login="resident@example.com")
        seed_bed_history(first)
        seed_transfers.seed(first)  # after the bed history: the move goes to a bed that bed history leaves in service
        seed_applications.seed(first)
        seed_phases.seed(first)
        seed_rules.seed(first)
        seed_rules_es.seed(first)  # after the rules: Spanish for all but one house's newest rule
        seed_chores.seed(first)
        seed_drug_tests.seed(first)
        seed_incidents.seed(first)
        seed_retention.seed(first)  # after the incidents demo, before billing: stays older than its history
        seed_cert.seed(first)
        seed_autopay.seed(first)  # before the billing demo, which charges the autopay resident's rent
        seed_billing.seed(first)
        seed_stripe.seed(first)
        seed_webhooks.seed(first)  # after seed_stripe: a payer it did not pick
        seed_connect.seed(first)
        seed_alerts.seed(first)  # after the other online payments: a payer none of them picked
        seed_pending_debit.seed(first)  # after the online payments: their receipts, and a debit left pending
        seed_spanish.seed(first)  # after the online payments and notices: a resident none of them picked
        seed_housepages.seed(first)
        # Filling beds: two houses published, three referral partners, a month of applications, beds opening.
        seed_vacancies.seed(first)
        seed_partners.seed(first)
        seed_intake.seed(first)
        seed_openings.seed(first)
        seed_glance.seed(first)
        seed_two_factor.seed(first, password=DEMO_PASSWORD)  # an optional login with an authenticator app
        seed_invitations.seed(first)  # a staff and a portal invitation not yet accepted
        seed_closes.seed(first)  # last: nothing can be dated into a closed month afterwards
        seed_exports.seed(first)  # after everything: the zips hold every other step's rows

    second = seed_organization(ORGANIZATIONS[1])
    with organization_clock(second):
        seed_residents(second, occupancy=0.6)
        seed_imports.seed(second)  # after the residents: the sample houses' beds stay free for their residents
        seed_phases.seed(second, light=True)
        seed_rules.seed(second, light=True)
        seed_chores.seed(second, light=True)
        seed_drug_tests.seed(second, weeks=2)
        seed_incidents.seed(second, count=3, notes=1)
        seed_cert.seed(second, light=True)
        seed_billing.seed(second, months=3)
        seed_stripe.seed(second, light=True)
        seed_housepages.seed(second, light=True)

    # A third operator whose houses are peer-run (the Oxford House model): a year of their members' own business.
    third = seed_organization(seed_peer.ORGANIZATION)
    with organization_clock(third):
        seed_peer.seed(third)
    return [first, second, third]
