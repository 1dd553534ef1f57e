"""Filling beds demo: three referral partners of the first organization, each sharing houses (two take the daily
digest), a referrer login for the treatment centre (referrer@example.com), and seven referrals over the last month
at every status a partner sees, moved along by the operator through the staff services and dated as they happened.

The one admission takes one of Maple House's free beds (the house asked for); the others stay free for its waitlist
demo and the vacancy pages."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organization, Role, User
from demo import seed_chores
from demo.seed_intake import admit_into_preferred_house, settle_in
from houses.models import House
from residents.core.services.applications import (
    application_move,
    application_record_contact,
)
from residents.models import Application, ApplicationEvent
from vacancies.models import Referral, ReferralPartner
from vacancies.services.partners import partner_create, referral_submit

REFERRER_EMAIL = "referrer@example.com"

PARTNERS = [
    # name, kind, contact, e-mail, phone, houses shared, daily digest
    ("Hope Treatment Center", "treatment", "Casey Nguyen", "intake@hopetreatment.example.org", "(217) 555-0188",
     ["Maple House", "Willow House"], True),
    ("Travis County Drug Court", "court", "Officer Dana Brooks", "drugcourt@traviscounty.example.gov",
     "(217) 555-0130", ["Maple House", "Harbor House"], True),
    ("St. Luke's Hospital", "hospital", "Jordan Fields, LCSW", "socialwork@stlukes.example.org", "(217) 555-0172",
     ["Willow House", "Harbor House"], False),
]  # fmt: skip

# partner, first, last, house asked for (None: any), days ago, hours to the first reply, steps (status, days later)
REFERRALS = [
    ("Travis County Drug Court", "Luis", "Ortega", "Maple House", 27, 2,
     [("interview", 2), ("accepted", 4), ("admitted", 6)]),
    ("Hope Treatment Center", "Tanya", "Brooks", "Willow House", 20, 5, [("screening", 1), ("waitlisted", 3)]),
    ("St. Luke's Hospital", "Sean", "Ellis", None, 16, 3, [("withdrawn", 2)]),
    ("St. Luke's Hospital", "Kevin", "Marsh", None, 12, 26,
     [("declined", 2, "Needs medical detox first: please refer him again after discharge.")]),
    ("Hope Treatment Center", "Ashley", "Price", "Willow House", 6, 1, [("interview", 1)]),
    ("Travis County Drug Court", "Derek", "Hall", "Maple House", 2, 4, []),
    ("Hope Treatment Center", "Nicole", "Reed", "Maple House", 0, None, []),
]  # fmt: skip

REFERRERS = {
    "Hope Treatment Center": ("Casey Nguyen", "casey.nguyen@hopetreatment.example.org"),
    "Travis County Drug Court": ("Dana Brooks", "dana.brooks@traviscounty.example.gov"),
    "St. Luke's Hospital": ("Jordan Fields", "jfields@stlukes.example.org"),
}


def seed(organization: Organization) -> None:
    if ReferralPartner.objects.filter(organization=organization).exists():
        return
    operator = (
        Membership.objects.filter(organization=organization, role=Role.OPERATOR)
        .select_related("user", "organization")
        .order_by("pk")
        .first()
    )
    houses = {house.name: house for house in House.objects.filter(organization=organization)}
    partners = {}
    for name, kind, contact, email, phone, shared, digest in PARTNERS:
        partners[name] = partner_create(
            actor=operator, name=name, kind=kind, contact_name=contact, email=email, phone=phone,
            digest_opt_in=digest, houses=[houses[house] for house in shared if house in houses],
        )  # fmt: skip
    _referrer_login(organization, partners["Hope Treatment Center"])
    for row in REFERRALS:
        _referral(organization, operator, partners, houses, *row)
    # The admitted referral is a resident like the others: their chores and meetings, as the chores demo gives every
    # resident (it adds only what is missing), so a second seed_demo finds nothing to add.
    seed_chores.seed(organization)


def _referrer_login(organization: Organization, partner: ReferralPartner) -> None:
    from demo.seed import DEMO_PASSWORD  # demo.seed imports this module: read its password once it is loaded

    user = User.objects.filter(email=REFERRER_EMAIL).first() or User.objects.create_user(
        email=REFERRER_EMAIL, password=DEMO_PASSWORD, full_name="Casey Nguyen"
    )
    membership, _ = Membership.objects.get_or_create(
        user=user, organization=organization, defaults={"role": Role.REFERRER}
    )
    partner.members.add(membership)


@transaction.atomic
def _referral(organization, operator, partners, houses, partner_name, first, last, house, days_ago, reply_hours,
              steps) -> None:  # fmt: skip
    partner = partners[partner_name]
    today = organization.today()
    received_on = today - timedelta(days=days_ago)
    # Mornings for the older referrals; today's arrived an hour or two ago.
    received_at = datetime.combine(received_on, time(9 + days_ago % 5, 15 * (days_ago % 4)), organization.tzinfo)
    if days_ago == 0:
        received_at = (timezone.now() - timedelta(hours=2)).astimezone(organization.tzinfo)
    referrer_name, referrer_email = REFERRERS[partner_name]
    referral = referral_submit(
        partner=partner, first_name=first, last_name=last, phone=f"(217) 555-{1000 + days_ago * 37:04d}",
        email=f"{first}.{last}@example.net".lower(), preferred_house=houses.get(house) if house else None,
        preferred_move_in=received_on + timedelta(days=7), on_moud=days_ago % 3 == 0, payer="agency",
        sobriety_date=received_on - timedelta(days=10 + days_ago), notes="Referred by the demo partner",
        consent_to_contact=True, referrer_name=referrer_name, referrer_email=referrer_email,
    )  # fmt: skip
    application = referral.application
    times = [received_at]
    if reply_hours is not None:
        contacted_at = received_at + timedelta(hours=reply_hours)
        application = application_record_contact(actor=operator, application=application, note="Called the person")
        times.append(contacted_at)
    decided_at = None
    for step in steps:
        status, days_later, *note = step
        at = received_at + timedelta(days=days_later)
        if status in Application.DECIDED and decided_at is None:
            decided_at = at  # the first decision is the answer (as application_move stamps it)
        if status == Application.Status.ADMITTED:
            if not admit_into_preferred_house(operator, application, received_on + timedelta(days=days_later)):
                break
            settle_in(organization, application)
        else:
            application = application_move(
                actor=operator, application=application, to=status, note=note[0] if note else ""
            )
        times.append(at)
    _date(application, referral, times, decided_at=decided_at)


def _date(application, referral, times, *, decided_at) -> None:
    """Dates the application, its history and the referral as they happened (the services stamp the present)."""
    received_at = times[0]
    events = list(ApplicationEvent.objects.filter(application=application).order_by("pk").values_list("pk", flat=True))
    for pk, at in zip(events, times + [times[-1]] * len(events), strict=False):
        ApplicationEvent.objects.filter(pk=pk).update(at=at)
    first_contacted_at = times[1] if len(times) > 1 else None
    Application.objects.filter(pk=application.pk).update(
        received_at=received_at,
        applied_on=received_at.date(),
        first_contacted_at=first_contacted_at,
        decided_at=decided_at,
        status_changed_at=times[-1],
    )
    Referral.objects.filter(pk=referral.pk).update(created_at=received_at)
