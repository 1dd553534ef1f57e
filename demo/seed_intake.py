"""Filling beds demo: a month of applications with realistic reply times, for the dashboard's "Waiting for a first
reply" and the response-time columns of the applications pages.

About 25 people applied over the last 30 days, at the hours people do (evenings, weekends): through the public
form, or by phone to the staff (often on a referral partner's advice: the partners' own referrals through their
link are demo/seed_partners.py's). Most were answered within 1 to 30 hours; three are still waiting (under two
hours, a working day, over a day), so the dashboard's "Waiting for a first reply" lists five with the older demos'
two (Jasmine Ford, demo/seed_applications.py, two days; Nicole Reed, a partner's referral of this morning,
demo/seed_partners.py); the decided ones were accepted, declined with a reason, or admitted into a free
bed: one here into Maple House (with the partners' demo admission, two this month; the other houses' last free
beds stay open for the vacancy pages). The services record each step; the times are then set to when it happened
(the services stamp the present).
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.exceptions import DomainError
from accounts.models import Membership, Organization, Role
from demo import seed_chores, seed_drug_tests, seed_rules
from houses.models import House
from residents.core.selectors.bed_board import free_beds
from residents.core.services.applications import (
    application_accept_and_admit,
    application_create,
    application_move,
    application_receive,
    application_record_contact,
)
from residents.models import Application, ApplicationEvent, Resident, RuleSet, Stay
from vacancies.models import ReferralPartner

WEB, STAFF = Application.ReceivedVia.WEBSITE, Application.ReceivedVia.STAFF
ADMIT = "admit"

# first, last, gender asked for, house asked for (None: any), arrived (days ago, local hour, minute), how, who
# refers ("self", "family", or "partner": the demo's partner of that index), hours to the first reply (None: still
# waiting; 0: the first step is the reply), steps as (status or ADMIT, hours after arriving, note).
APPLICANTS = [
    ("Brandon", "Keller", "men", "Maple House", (29, 19, 40), WEB, "self", 14,
     [("screening", 14, ""), ("interview", 50, "Interview Thursday 4 pm"), ("accepted", 96, ""),
      (ADMIT, 140, "")]),
    ("Keisha", "Banks", "women", "Willow House", (28, 10, 5), STAFF, "partner:0", 0,
     [("screening", 3, "Case manager called for her"), ("waitlisted", 52, "")]),
    ("Ryan", "Doyle", "men", None, (27, 22, 30), WEB, "family", 11,
     [("declined", 30, "No bed here suits his mobility needs; we gave him two houses that do.")]),
    ("Crystal", "Moreno", "women", "Willow House", (26, 14, 20), STAFF, "self", 0,
     [("screening", 1, ""), ("withdrawn", 70, "Found a place closer to her children")]),
    ("Andre", "Whitfield", "men", "Maple House", (25, 8, 45), WEB, "self", 26,
     [("screening", 26, ""), ("waitlisted", 75, "")]),
    ("Samantha", "Cole", "", "Harbor House", (24, 20, 10), WEB, "partner:1", 17,
     [("interview", 17, ""), ("accepted", 60, "")]),
    ("Miguel", "Serrano", "men", None, (23, 11, 50), STAFF, "partner:1", 0,
     [("screening", 2, "Drug court liaison called"), ("accepted", 49, "")]),
    ("Heather", "Lind", "women", None, (21, 23, 5), WEB, "self", 9,
     [("declined", 20, "She asked for a bed within a week and we have none for women before next month.")]),
    ("Cody", "Pruitt", "men", "Maple House", (20, 13, 30), STAFF, "family", 0,
     [("screening", 4, "His father called"), ("interview", 28, ""), ("waitlisted", 54, "")]),
    ("Denise", "Oakes", "women", "Willow House", (19, 18, 55), WEB, "self", 3,
     [("screening", 3, ""), ("waitlisted", 44, "")]),
    ("Travis", "Hunt", "men", None, (17, 9, 15), STAFF, "partner:2", 0,
     [("screening", 1, "Hospital social worker called")]),
    ("Monique", "Fairley", "women", None, (16, 21, 45), WEB, "family", 22,
     [("interview", 22, ""), ("declined", 70, "The house asks for 30 days sober first; welcome to apply again then.")]),
    ("Eric", "Vance", "", "Harbor House", (14, 12, 0), WEB, "self", 5,
     [("screening", 5, ""), ("waitlisted", 30, "")]),
    ("Laura", "Pineda", "women", "Willow House", (13, 7, 30), STAFF, "partner:0", 0,
     [("interview", 2, "Treatment centre discharge planner called"), ("accepted", 27, "")]),
    ("Jamal", "Rucker", "men", "Maple House", (12, 20, 40), WEB, "self", 13,
     [("screening", 13, ""), ("withdrawn", 40, "Going home to family instead")]),
    ("Kelly", "Brandt", "women", None, (10, 16, 25), WEB, "self", 1, [("screening", 1, "")]),
    ("Victor", "Nash", "men", None, (9, 22, 50), WEB, "family", 16,
     [("interview", 16, "Interview Monday 10 am"), ("waitlisted", 48, "")]),
    ("Tanya", "Whitlock", "women", "Willow House", (7, 11, 10), STAFF, "self", 0, [("screening", 2, "")]),
    ("Paul", "Esposito", "men", "Maple House", (6, 19, 5), WEB, "self", 30, [("interview", 30, "")]),
    ("Rosa", "Delgado", "women", None, (5, 8, 55), STAFF, "partner:2", 0,
     [("screening", 1, "Hospital social worker called"), ("accepted", 46, "")]),
    ("Nathan", "Kerr", "men", None, (4, 23, 20), WEB, "self", 8, []),
    ("Ashley", "Yoder", "women", "Willow House", (3, 15, 35), WEB, "family", 2, [("screening", 2, "")]),
    ("Derek", "Sutton", "men", "Maple House", (2, 21, 15), WEB, "self", 19, [("screening", 19, "")]),
]  # fmt: skip

# Still waiting for a first reply, by how long ago they arrived (from the demo's now): the dashboard's three colours.
WAITING = [
    ("Marcus", "Lowell", "men", "Maple House", timedelta(hours=31), WEB, "self"),
    ("Brittany", "Sparks", "women", "Willow House", timedelta(hours=7, minutes=20), WEB, "family"),
    ("Luis", "Arroyo", "men", None, timedelta(minutes=40), WEB, "self"),
]  # fmt: skip

REPLY_NOTE = "Called the applicant"


def seed(organization: Organization) -> None:
    if Application.objects.filter(organization=organization, email="brandon.keller@example.net").exists():
        return
    operator = (
        Membership.objects.filter(organization=organization, role=Role.OPERATOR)
        .select_related("user", "organization")
        .order_by("pk")
        .first()
    )
    houses = {house.name: house for house in House.objects.filter(organization=organization)}
    partners = list(ReferralPartner.objects.filter(organization=organization).order_by("pk"))
    now = timezone.now()
    today = organization.today()
    for first, last, gender, house, (days_ago, hour, minute), via, refers, reply_hours, steps in APPLICANTS:
        arrived = datetime.combine(today - timedelta(days=days_ago), time(hour, minute), organization.tzinfo)
        _applicant(
            organization, operator, houses, partners, now, first, last, gender, house, arrived, via, refers,
            reply_hours, steps,
        )  # fmt: skip
    for first, last, gender, house, ago, via, refers in WAITING:
        _applicant(organization, operator, houses, partners, now, first, last, gender, house, now - ago, via, refers,
                   None, [])  # fmt: skip
    # The admitted applicant is a resident like the others: an intake test on their first day, chores and meetings
    # (those demos add only what is missing), so a second seed_demo finds nothing to add.
    seed_drug_tests.seed_intake_tests(organization, random.Random(f"intake-tests-{organization.slug}"))
    seed_chores.seed(organization)


@transaction.atomic
def _applicant(organization, operator, houses, partners, now, first, last, gender, house, arrived, via, refers,
               reply_hours, steps) -> None:  # fmt: skip
    index = sum(map(ord, first + last))
    fields = {
        "first_name": first, "last_name": last, "preferred_gender": gender,
        "preferred_house": houses.get(house) if house else None,
        "phone": f"(217) 555-{2000 + index % 7000:04d}", "email": f"{first}.{last}@example.net".lower(),
        "preferred_move_in": arrived.date() + timedelta(days=3 + index % 12),
        "on_moud": None if index % 5 == 0 else index % 3 == 0, "consent_to_contact": via == WEB or index % 2 == 0,
        "payer": ["self", "self", "family", "agency", "voucher"][index % 5],
        "sobriety_date": arrived.date() - timedelta(days=14 + index % 90), "applied_on": arrived.date(),
    }  # fmt: skip
    fields.update(_referrer(refers, partners))
    if fields["payer"] != "self":
        fields["payer_name"] = {"family": f"The {last} family", "agency": "County Behavioral Health",
                                "voucher": "State Recovery Housing Voucher"}[fields["payer"]]  # fmt: skip
    if via == WEB:
        application = application_receive(organization=organization, received_via=WEB, **fields)
    else:
        application = application_create(actor=operator, **fields)
    times, contacted_at, decided_at = [arrived], None, None
    if reply_hours:  # a call before the first step (0: the first step was the reply)
        application = application_record_contact(actor=operator, application=application, note=REPLY_NOTE)
        contacted_at = arrived + timedelta(hours=reply_hours)
        times.append(contacted_at)
    for status, hours, note in steps:
        at = min(arrived + timedelta(hours=hours), now - timedelta(minutes=30))
        if status == ADMIT:
            if not admit_into_preferred_house(operator, application, at.astimezone(organization.tzinfo).date()):
                break
            settle_in(organization, application)
        else:
            application = application_move(actor=operator, application=application, to=status, note=note)
        contacted_at = contacted_at or at
        if (status in Application.DECIDED or status == ADMIT) and decided_at is None:
            decided_at = at
        times.append(at)
    _date(application, times, contacted_at=contacted_at, decided_at=decided_at)


def _referrer(refers: str, partners) -> dict:
    if refers.startswith("partner:"):
        partner = partners[int(refers.split(":")[1]) % len(partners)] if partners else None
        return {"referred_by": "partner", "referral_source": partner.name if partner else "Hope Treatment Center"}
    return {"referred_by": refers, "referral_source": "Family" if refers == "family" else ""}


def admit_into_preferred_house(operator, application, on) -> bool:
    """Into a free bed of the house asked for (the first that takes the stay); none free: it stays accepted."""
    houses = House.objects.filter(pk=application.preferred_house_id)
    for bed in free_beds(viewer=operator, night=on, houses=houses):
        try:
            application_accept_and_admit(actor=operator, application=application, bed=bed, on=on)
        except DomainError:
            continue
        return True
    return False


def settle_in(organization, application) -> None:
    """What every demo resident has on file (the house's certification evidence counts it): someone to call in an
    emergency, and the house's current rules signed."""
    resident = Resident.objects.get(application=application)
    Resident.objects.filter(pk=resident.pk).update(
        emergency_contact_name=f"Linda {resident.legal_last_name}",
        emergency_contact_phone="(217) 555-0144",
        emergency_contact_relationship="Mother",
    )
    stay = Stay.objects.open().select_related("resident", "house").get(resident=resident)
    rule_set = RuleSet.objects.filter(house=stay.house, is_current=True).first()
    if rule_set is not None:
        seed_rules._sign(organization, stay, rule_set, random.Random(f"intake-{resident.pk}"))


def _date(application, times, *, contacted_at, decided_at) -> None:
    """Dates the application and its history as they happened."""
    events = list(ApplicationEvent.objects.filter(application=application).order_by("pk").values_list("pk", flat=True))
    for pk, at in zip(events, times + [times[-1]] * len(events), strict=False):
        ApplicationEvent.objects.filter(pk=pk).update(at=at)
    Application.objects.filter(pk=application.pk).update(
        received_at=times[0],
        applied_on=times[0].astimezone(application.organization.tzinfo).date(),
        first_contacted_at=contacted_at,
        decided_at=decided_at,
        status_changed_at=times[-1],
    )
