"""Filling beds demo: beds opening in the first organization's house with the longest waitlist.

Two residents plan to move out, through the staff service as a manager would record it: one in 3 days (found two
days ago; its offer went to the first applicant on the waitlist, who answered "interested" yesterday, and the
partner digest sent yesterday told one partner of it) and one in 5 days (offered now to the next applicant, waiting
for an answer). Runs last of the filling-beds seeds, after the applications and partners exist."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Organization, Role
from houses.models import House
from residents.core.services.stays import stay_plan_move_out
from residents.models import Application, Stay
from vacancies.models import BedOpening, PartnerDigest, ReferralPartner, WaitlistOffer
from vacancies.services.offers import offer_next
from vacancies.services.openings import bed_free_from


def _house_with_a_waitlist(organization: Organization) -> House | None:
    """The house whose waitlist holds the most applicants with an e-mail address (two at least)."""
    best, most = None, 1
    for house in House.objects.filter(organization=organization).order_by("pk"):
        waiting = Application.objects.waitlist_for(house).exclude(email="").count()
        if waiting > most:
            best, most = house, waiting
    return best


def _offer(opening: BedOpening) -> WaitlistOffer | None:
    # Outside a transaction the offer was already made when the move-out was saved (on commit); inside, make it now.
    return opening.offers.order_by("pk").first() or offer_next(opening_id=opening.pk)


def seed(organization: Organization) -> None:
    if BedOpening.objects.filter(organization=organization, cause=BedOpening.Cause.PLANNED).exists():
        return
    house = _house_with_a_waitlist(organization)
    if house is None:
        return
    operator = organization.memberships.filter(role=Role.OPERATOR).select_related("user", "organization").first()
    today, now = organization.today(), timezone.now()
    # Residents living in the house with nothing planned yet, whose beds nobody is booked into after them.
    stays = []
    for stay in Stay.objects.open().filter(house=house, expected_move_out__isnull=True).order_by("move_in", "pk"):
        current = stay.bed_assignments.filter(end__isnull=True).select_related("bed__house", "bed__room").first()
        if current and bed_free_from(current.bed, today + timedelta(days=5), leaving_stay=stay):
            stays.append(stay)
        if len(stays) == 2:
            break
    if len(stays) < 2:
        return

    # The earlier opening: planned two days ago, its first offer answered "interested" yesterday.
    stay_plan_move_out(actor=operator, stay=stays[0], on=today + timedelta(days=3))
    earlier = BedOpening.objects.get(stay=stays[0])
    BedOpening.objects.filter(pk=earlier.pk).update(found_at=now - timedelta(days=2))
    offer = _offer(earlier)
    if offer is not None:
        sent = now - timedelta(days=2, hours=1)
        WaitlistOffer.objects.filter(pk=offer.pk).update(
            sent_at=sent,
            expires_at=sent + timedelta(hours=48),
            answer=WaitlistOffer.Answer.INTERESTED,
            answered_at=now - timedelta(hours=27),
        )
    # Yesterday's digest told one partner sharing the house of it.
    partner = (
        ReferralPartner.objects.filter(organization=organization, houses=house, digest_opt_in=True, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .first()
    )
    if partner is not None:
        digest = PartnerDigest.objects.create(
            partner=partner, sent_on=today - timedelta(days=1), sent_at=now - timedelta(hours=20)
        )
        digest.openings.set([earlier])

    # The new opening: a planned move-out in 5 days, offered to the next applicant now.
    stay_plan_move_out(actor=operator, stay=stays[1], on=today + timedelta(days=5))
    _offer(BedOpening.objects.get(stay=stays[1]))
