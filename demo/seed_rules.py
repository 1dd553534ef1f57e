"""Demo house rules, signatures and grievances.

Two publications: the organization's rules adopted about six months ago, and a revision three weeks ago (firmer guest
and fee rules, a new sign-out rule, and Maple House's own curfew). Most current residents have signed the current
version; two residents outside Maple House have not, so the dashboard has someone to chase. Three grievances: one
open, one answered, one closed. Keyed by the organization having any rule set or grievance, so a second run changes
nothing.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Membership, Organization, Role
from houses.models import House
from residents.conduct.services import grievances as grievance_services
from residents.house_rules import services as rule_services
from residents.models import Grievance, Resident, RuleAcknowledgement, RuleSet, Stay

RuleChange = rule_services.RuleChange

# (category, text, consequence)
ADOPTED = [
    ("substances",
     "No alcohol, illegal drugs or non-prescribed medication on the property or in your system. Declare every "
     "prescription to the house manager; medication is kept in the lockbox.",
     "Discharge the same day. You may reapply after 30 days of documented sobriety."),
    ("substances",
     "Give a sample for random and for-cause drug and alcohol tests when asked. A refusal, a dilute or a sample "
     "not given within two hours counts as positive.",
     "Treated as a positive test."),
    ("curfew",
     "Be inside by 10:00 pm Sunday to Thursday and by midnight on Friday and Saturday. Later passes follow your "
     "phase.",
     "First time a written warning; second, no passes for two weeks; third, a behavior contract."),
    ("guests",
     "Guests visit only in the common areas between 10:00 am and 9:00 pm, sign the guest book and must be sober. "
     "No overnight guests.",
     "Guest privileges suspended for 30 days."),
    ("chores",
     "Finish your assigned daily chore by 8:00 pm and take part in the Saturday morning deep clean.",
     "An extra chore for each one missed; three misses in a month go to the house meeting."),
    ("meetings",
     "Attend the weekly house meeting (Sunday 7:00 pm) and at least three outside recovery meetings a week, with "
     "signed attendance slips.",
     "Restricted to the house until the missed meetings are made up."),
    ("conduct",
     "No violence, threats, intimidation, weapons or harassment of anyone, on or off the property.",
     "Immediate discharge; the police are called when anyone is in danger."),
    ("conduct",
     "No romantic or sexual relationships between residents of the same house.",
     "A meeting with the operator; one resident may be moved to another house."),
    ("conduct",
     "Respect other people's belongings and space. Never borrow without asking.",
     "Restitution and a behavior contract. Theft is grounds for discharge."),
    ("fees",
     "Rent is due every Friday by 6:00 pm. If you cannot pay on time, talk to the house manager before it is late.",
     "A $10 late fee after a 3-day grace period; two weeks unpaid may lead to discharge."),
    ("other",
     "Smoke or vape only at the bench in the back yard, never indoors or at the front door.",
     "A written warning, then a $25 cleaning fee."),
    ("other",
     "Keep your bed made and your area clean for the Monday room inspection.",
     "Loss of your next weekend pass."),
]  # fmt: skip

REVISED_GUESTS = (
    "Guests are approved by the house manager 24 hours ahead, visit only in the common areas between 10:00 am and "
    "9:00 pm, sign the guest book and must be sober. No overnight guests, and no guests during your first 14 days."
)
REVISED_FEES_CONSEQUENCE = (
    "A $15 late fee after a 3-day grace period; two weeks unpaid leads to a payment plan or discharge."
)
SIGN_OUT = (
    "other",
    "Sign out on the board whenever you leave the property (where and when you will be back) and sign in on return.",
    "A written warning; repeated misses count as curfew violations.",
)
MAPLE_CURFEW = (
    "Be inside by 10:00 pm Sunday to Thursday and by midnight on Friday and Saturday. Residents in phase 3 may stay "
    "out until 11:30 pm on weeknights with a sign-out.",
    "First time a written warning; second, no passes for two weeks; third, a behavior contract.",
)


def _local(organization: Organization, day, hour=10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=organization.tzinfo)


def seed(organization: Organization, *, light: bool = False) -> None:
    """Rules, signatures and grievances for one organization; ``light`` publishes once, with everyone signed."""
    operator = Membership.objects.filter(organization=organization, role=Role.OPERATOR).order_by("pk").first()
    if operator is None:
        return
    rng = random.Random(f"hearth-rules-{organization.slug}")
    if not RuleSet.objects.filter(organization=organization).exists():
        _seed_rules(organization, operator, rng, light=light)
    if not light and not Grievance.objects.filter(organization=organization).exists():
        _seed_grievances(organization, operator)


def _current_residents(organization: Organization) -> list[Stay]:
    return list(
        Stay.objects.open()
        .filter(organization=organization)
        .select_related("resident", "house")
        .order_by("house_id", "move_in", "pk")
    )


def _sign(organization, stay: Stay, rule_set: RuleSet, rng: random.Random) -> None:
    """Signs on the later of the publication and move-in, a few hours in (never in the future)."""
    start = max(rule_set.published_at, _local(organization, stay.move_in, 9))
    at = min(start + timedelta(hours=rng.randint(2, 60)), timezone.now() - timedelta(hours=1))
    acknowledgement, _created = rule_services.rule_set_acknowledge(
        resident=stay.resident,
        rule_set=rule_set,
        signature=stay.resident.legal_name,
        ip_address=f"192.0.2.{rng.randint(10, 250)}",
    )
    RuleAcknowledgement.objects.filter(pk=acknowledgement.pk).update(signed_at=at)


def _seed_rules(organization: Organization, operator: Membership, rng: random.Random, *, light: bool) -> None:
    today = organization.today()
    adopted_at = _local(organization, today - timedelta(days=180 if not light else 60), 9)
    rules, _sets = rule_services.rules_publish(
        actor=operator,
        changes=[RuleChange(category=c, text=t, consequence=q) for c, t, q in (ADOPTED[:10] if light else ADOPTED)],
        note="House rules adopted",
        at=adopted_at,
    )
    stays = _current_residents(organization)
    if light:
        for stay in stays:
            _sign(organization, stay, RuleSet.objects.get(house=stay.house, is_current=True), rng)
        return
    revised_at = _local(organization, today - timedelta(days=21), 9)
    # The newest arrival in each of the houses other than Maple has signed nothing yet (so the dashboard has someone to
    # chase, and Maple stays the house whose certification evidence is complete). Everyone else signed each version
    # that was current while they lived here.
    newest = {}
    for stay in stays:
        if stay.house.name != "Maple House":
            newest[stay.house_id] = stay  # ordered by move-in: the last one wins
    never = {stay.pk for stay in list(newest.values())[:2]}
    for stay in stays:
        if stay.pk not in never and _local(organization, stay.move_in) < revised_at:
            _sign(organization, stay, RuleSet.objects.get(house=stay.house, is_current=True), rng)
    by_text = {rule.current_version.text: rule for rule in rules}
    guests, fees, curfew = by_text[ADOPTED[3][1]], by_text[ADOPTED[9][1]], by_text[ADOPTED[2][1]]
    maple = House.objects.get(organization=organization, name="Maple House")
    rule_services.rules_publish(
        actor=operator,
        changes=[
            RuleChange(rule=guests, text=REVISED_GUESTS),
            RuleChange(rule=fees, consequence=REVISED_FEES_CONSEQUENCE),
            RuleChange(category=SIGN_OUT[0], text=SIGN_OUT[1], consequence=SIGN_OUT[2]),
            RuleChange(
                house=maple, overrides=curfew, category="curfew", text=MAPLE_CURFEW[0], consequence=MAPLE_CURFEW[1]
            ),
        ],
        note="Guests approved ahead, higher late fee, sign-out board; Maple House phase 3 curfew",
        at=revised_at,
    )
    for stay in stays:
        if stay.pk in never:
            continue
        _sign(organization, stay, RuleSet.objects.get(house=stay.house, is_current=True), rng)


def _seed_grievances(organization: Organization, operator: Membership) -> None:
    today = organization.today()
    stays = {stay.house.name: stay for stay in reversed(_current_residents(organization))}
    portal = Resident.objects.filter(organization=organization, membership__isnull=False).first()
    manager = Membership.objects.filter(
        organization=organization, role=Role.MANAGER, houses__name="Maple House"
    ).first()
    # Answered: the portal resident's, about a manager, so the portal shows an answer.
    if portal is not None and portal.membership.is_active:
        grievance = grievance_services.grievance_file(
            actor=portal.membership,
            subject="Written up for a chore that was not on the list",
            details="The chore list for last week went up on Tuesday, after I had been written up on Monday for "
            "missing the porch. I would like the write-up taken off my record.",
            about=Grievance.About.STAFF if manager else Grievance.About.HOUSE,
            staff_member=manager,
        )
        grievance_services.grievance_respond(
            actor=operator,
            grievance=grievance,
            response="You are right that the list was late. The write-up has been removed, and the house manager "
            "will post the list by Sunday night from now on.",
        )
        _date(grievance, filed=_local(organization, today - timedelta(days=9), 20),
              responded=_local(organization, today - timedelta(days=7), 11))  # fmt: skip
    # Open: filed two days ago in Willow House.
    if "Willow House" in stays:
        stay = stays["Willow House"]
        grievance = Grievance.objects.create(
            organization=organization, resident=stay.resident, house=stay.house,
            subject="Dryer broken for two weeks",
            details="The dryer in the basement has not heated since the 1st. We have been hanging clothes in the "
            "bathroom and it is getting mouldy. Can someone call the repair service?",
            about=Grievance.About.HOUSE, filed_by=None,
        )  # fmt: skip
        _date(grievance, filed=_local(organization, today - timedelta(days=2), 19))
    # Closed: answered and closed in one step three weeks ago in Harbor House.
    if "Harbor House" in stays:
        stay = stays["Harbor House"]
        grievance = Grievance.objects.create(
            organization=organization, resident=stay.resident, house=stay.house,
            subject="Bus pass money for the job search",
            details="I was told the house would cover my bus pass while I look for work, but it was added to my "
            "rent instead.",
            about=Grievance.About.OTHER, filed_by=None,
        )  # fmt: skip
        grievance_services.grievance_close(
            actor=operator,
            grievance=grievance,
            response="The charge was a mistake and has been credited back. The job-search bus pass is covered for "
            "your first 30 days.",
        )
        at = _local(organization, today - timedelta(days=20), 15)
        _date(grievance, filed=_local(organization, today - timedelta(days=23), 18), responded=at, closed=at)


def _date(grievance: Grievance, *, filed, responded=None, closed=None) -> None:
    """Backdates the stages of a demo grievance so its history reads as lived."""
    changes = {"filed_at": filed}
    if responded:
        changes["responded_at"] = responded
    if closed:
        changes["closed_at"] = closed
    Grievance.objects.filter(pk=grievance.pk).update(**changes)
