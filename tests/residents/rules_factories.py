"""Helpers for house-rule and grievance tests: publish rules, admit residents, sign, file."""

from datetime import date

from django.db.models import Exists, OuterRef

from houses.models import Bed, House
from residents.conduct.services import grievances as grievance_services
from residents.house_rules import services as rule_services
from residents.models import BedAssignment, Grievance, HouseRule, Resident, RuleAcknowledgement, RuleSet
from tests.factories import BedFactory, MembershipFactory, ResidentFactory, RoomFactory, admit

DEFAULTS = [
    ("substances", "No alcohol or drugs on the property or in your body.", "Discharge, with a chance to reapply."),
    ("curfew", "Be inside by 10 pm on weeknights and midnight on weekends.", "Loss of passes for a week."),
    ("chores", "Do your assigned chore each day before 8 pm.", "An extra chore the next day."),
]


def publish_defaults(operator, rules=DEFAULTS, note="First rules") -> list[HouseRule]:
    changes = [rule_services.RuleChange(category=c, text=t, consequence=q) for c, t, q in rules]
    written, _sets = rule_services.rules_publish(actor=operator, changes=changes, note=note)
    return written


def house_rule(actor, house: House, text="Quiet hours from 10 pm to 7 am.", category="conduct", overrides=None):
    return rule_services.rule_add(
        actor=actor, house=house, overrides=overrides, category=category, text=text, consequence="A warning."
    )


def current_set(house: House) -> RuleSet:
    return RuleSet.objects.get(house=house, is_current=True)


def free_bed(house: House) -> Bed:
    taken = BedAssignment.objects.filter(bed=OuterRef("pk"), end__isnull=True)
    bed = Bed.objects.filter(house=house).exclude(Exists(taken)).order_by("pk").first()
    return bed or BedFactory(room=house.rooms.first() or RoomFactory(house=house), label=f"Extra {Bed.objects.count()}")


def resident_with_login(operator, house: House) -> Resident:
    """A resident of ``house`` who can log in to the portal; returns the resident (``.membership`` is the login)."""
    membership = MembershipFactory(organization=house.organization, role="resident")
    resident = ResidentFactory(organization=house.organization, membership=membership)
    return admit(house, on=date(2026, 1, 10), resident=resident, actor=operator).resident


def sign(resident: Resident, house: House | None = None, rule_set: RuleSet | None = None) -> RuleAcknowledgement:
    rule_set = rule_set or current_set(house)
    acknowledgement, _created = rule_services.rule_set_acknowledge(
        resident=resident, rule_set=rule_set, signature=resident.legal_name, ip_address="203.0.113.9"
    )
    return acknowledgement


def file_grievance(membership, subject="Broken washing machine", about="house", staff_member=None) -> Grievance:
    return grievance_services.grievance_file(
        actor=membership,
        subject=subject,
        details="It has been broken for two weeks and nobody has called the repair service.",
        about=about,
        staff_member=staff_member,
    )
