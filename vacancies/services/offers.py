"""Offering an opening to the house's waitlist, one applicant at a time, in order.

An open opening (not filled, not called off, its bed still free: ``openings.opening_available``) is offered to the
first applicant on the house's waitlist (``Application.objects.waitlist_for``: waitlisted and accepted, in order of
application) who agreed to be contacted and has an e-mail address, was not offered this opening before, and is not
already holding another open opening (an offer waiting for their answer, or their "yes"): two beds opening at once
go to two people. Only an applicant still waiting holds anything: once their application leaves the waitlist
(withdrawn, declined, admitted, erased) their pending offers expire and the next applicant is offered the bed
(``offers_release``, on ``residents.signals.application_moved``), and their "yes" no longer holds the bed. The
offer (``WaitlistOffer``) is e-mailed once committed with a private link, ``/offers/<token>/``, to answer within
``OFFER_HOURS``.

One offer waits for an answer per opening at a time: the opening's row is locked while the next applicant is chosen,
and the unique constraint per opening and applicant is the last word, so nothing is sent twice for the same opening
and applicant. A "no" or an offer left unanswered past its time (``offers_expire``, hourly) passes the opening to the
next applicant; a "yes" is shown to staff on the openings page, and the opening waits for them.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.exceptions import Conflict
from accounts.models import Organization
from accounts.queue import enqueue_on_commit
from accounts.tenancy import organization_clock
from residents.core.models.applications import fits_house
from residents.models import Application

from ..models import BedOpening, WaitlistOffer
from .openings import opening_available
from .public import applicant_language

logger = logging.getLogger("vacancies.offers")

OFFER_HOURS = 48
Answer = WaitlistOffer.Answer
HOLDING = (Answer.PENDING, Answer.INTERESTED)


def offer_link(offer: WaitlistOffer) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("vacancies-offer:offer", args=[offer.token])


def is_open(opening: BedOpening) -> bool:
    return opening.filled_at is None and opening.cancelled_at is None


def holding_offers():
    """Offers that hold their opening and their applicant: waiting for an answer or answered "yes", by an applicant
    still on the waitlist."""
    return WaitlistOffer.objects.filter(answer__in=HOLDING, application__status__in=Application.WAITING)


def offer_candidates():
    """Applicants who may be offered a bed: waiting, agreed to be contacted, with an e-mail address."""
    return Application.objects.filter(status__in=Application.WAITING, consent_to_contact=True).exclude(email="")


@transaction.atomic
def offer_next(*, opening_id: int) -> WaitlistOffer | None:
    """Offers the opening to the next applicant on its house's waitlist, when it is open and no offer of it is
    waiting for an answer (an overdue one is expired first). Returns the offer made, or None (nothing to do, or
    nobody left to ask)."""
    # The opening's row serializes choosing the next applicant: a decline, the expiry job and a new opening at once.
    opening = BedOpening.objects.select_for_update().select_related("house").filter(pk=opening_id).first()
    if opening is None or not is_open(opening):
        return None
    if not opening_available(opening, Organization.objects.get(pk=opening.organization_id).today()):
        # The resident stayed past the night, the bed went out of service: the scan would call it off too.
        BedOpening.objects.filter(pk=opening.pk).update(cancelled_at=timezone.now())
        return None
    now = timezone.now()
    offers = list(opening.offers.select_related("application"))
    overdue = [o.pk for o in offers if o.answer == Answer.PENDING and o.expires_at <= now]
    if overdue:
        WaitlistOffer.objects.filter(pk__in=overdue, answer=Answer.PENDING).update(answer=Answer.EXPIRED)
    if any(o.answer in HOLDING and o.pk not in overdue and o.application.status in Application.WAITING for o in offers):
        return None  # an answer is awaited, or someone said yes and staff are on it
    holding = holding_offers().filter(opening__filled_at__isnull=True, opening__cancelled_at__isnull=True)
    application = (
        Application.objects.waitlist_for(opening.house)
        .filter(pk__in=offer_candidates().values("pk"))
        .exclude(pk__in=[o.application_id for o in offers])
        .exclude(pk__in=holding.exclude(opening=opening).values("application_id"))
        .first()
    )
    if application is None:
        return None
    offer = WaitlistOffer.objects.create(
        opening=opening, application=application, sent_at=now, expires_at=now + timedelta(hours=OFFER_HOURS)
    )
    enqueue_on_commit(send_waitlist_offer, offer.pk)
    return offer


def offers_expire(*, now=None) -> int:
    """Expires every offer left unanswered past its time and passes each of their openings on; then offers every
    open opening that has nobody asked yet (a waitlist that grew, a send that failed). Returns how many offers were
    made."""
    now = now or timezone.now()
    overdue = WaitlistOffer.objects.filter(answer=Answer.PENDING, expires_at__lte=now)
    opening_ids = set(overdue.values_list("opening_id", flat=True))
    # Only offers still pending change: an answer arriving at the same moment wins.
    overdue.update(answer=Answer.EXPIRED)
    # Openings nobody holds that someone on their waitlist, free to take it, was not asked about yet: one query, so
    # an opening whose waitlist ran out (or is all holding other beds) costs nothing until someone joins it.
    holding = holding_offers()
    held_elsewhere = holding.filter(
        application_id=OuterRef("pk"), opening__filled_at__isnull=True, opening__cancelled_at__isnull=True
    ).exclude(opening_id=OuterRef(OuterRef("pk")))
    not_asked = offer_candidates().filter(
        fits_house(OuterRef("house_id"), OuterRef("house__gender")),
        ~Exists(WaitlistOffer.objects.filter(opening_id=OuterRef(OuterRef("pk")), application_id=OuterRef("pk"))),
        ~Exists(held_elsewhere),
        organization_id=OuterRef("organization_id"),
    )
    waiting = (
        BedOpening.objects.filter(filled_at__isnull=True, cancelled_at__isnull=True)
        .filter(~Exists(holding.filter(opening_id=OuterRef("pk"))))
        .filter(Exists(not_asked))
        .values_list("pk", flat=True)
    )
    made = 0
    for opening_id in sorted(opening_ids | set(waiting)):
        made += offer_next(opening_id=opening_id) is not None
    return made


@transaction.atomic
def offer_answer(*, offer: WaitlistOffer, interested: bool) -> WaitlistOffer:
    """The applicant's answer from their link: interested, or not now (the next applicant is offered the bed).
    Refused (``Conflict``) once answered, when the application is no longer on the waitlist, past its time, or when
    the bed is no longer available."""
    offer = WaitlistOffer.objects.select_for_update().select_related("opening").get(pk=offer.pk)
    if offer.answer != Answer.PENDING:
        raise Conflict(_("This offer has already been answered."), field="answer")
    if not Application.objects.filter(pk=offer.application_id, status__in=Application.WAITING).exists():
        raise Conflict(_("Your application is no longer on the waitlist, so this offer is closed."), field="answer")
    if not is_open(offer.opening):
        raise Conflict(_("This bed is no longer available."), field="answer")
    if offer.expires_at <= timezone.now():
        raise Conflict(_("The time to answer this offer has passed."), field="answer")
    offer.answer = Answer.INTERESTED if interested else Answer.DECLINED
    offer.answered_at = timezone.now()
    offer.save(update_fields=["answer", "answered_at"])
    if not interested:
        enqueue_on_commit(offer_next_task, offer.opening_id)
    return offer


def offers_release(*, application_id: int, erased: bool = False) -> int:
    """The application left the waitlist (withdrawn, declined, admitted) or is being erased: each opening it was
    offered or said yes to goes to the next applicant once committed. Its offers awaiting an answer expire (an
    erased one's are removed by the erasing itself), and an erased applicant's "yes" is taken back, whatever status
    the erased row keeps. Returns how many openings are passed on."""
    offers = WaitlistOffer.objects.filter(
        application_id=application_id,
        answer__in=HOLDING,
        opening__filled_at__isnull=True,
        opening__cancelled_at__isnull=True,
    )
    opening_ids = sorted(set(offers.values_list("opening_id", flat=True)))
    if erased:
        offers.filter(answer=Answer.INTERESTED).update(answer=Answer.DECLINED)
    else:
        offers.filter(answer=Answer.PENDING).update(answer=Answer.EXPIRED)
    for opening_id in opening_ids:
        enqueue_on_commit(offer_next_task, opening_id)
    return len(opening_ids)


def offer_email(offer: WaitlistOffer) -> EmailMessage:
    """The offer's e-mail, in the applicant's language (``public.applicant_language``)."""
    opening = offer.opening
    organization = opening.organization
    application = offer.application
    context = {
        "name": application.first_name,
        "organization": organization.name,
        "house": opening.house.name,
        "city": opening.house.city,
        "night": opening.opens_on,
        "expires_at": timezone.localtime(offer.expires_at, organization.tzinfo),
        "link": offer_link(offer),
    }
    with translation.override(applicant_language(application)):
        subject = _("%(organization)s: a bed is opening at %(house)s") % {
            "organization": organization.name,
            "house": opening.house.name,
        }
        body = render_to_string("vacancies/emails/waitlist_offer.txt", context)
    return EmailMessage(subject=subject, body=body, to=[application.email])


@shared_task(name="vacancies.tasks.offer_next")
def offer_next_task(opening_id: int) -> bool:
    """Offers an opening to the next applicant on its waitlist (queued when it is found or declined)."""
    return offer_next(opening_id=opening_id) is not None


@shared_task(name="vacancies.tasks.send_waitlist_offer")
def send_waitlist_offer(offer_id: int) -> bool:
    """E-mails one offer (queued once, when the offer is made). Returns whether it was sent."""
    offer = (
        WaitlistOffer.objects.select_related("application", "opening__house", "opening__organization")
        .filter(pk=offer_id, answer=Answer.PENDING)
        .first()
    )
    if offer is None or not is_open(offer.opening):
        return False
    with organization_clock(offer.opening.organization):
        try:
            offer_email(offer).send()
        except Exception:  # a bad address must not hold the bed: the next applicant is asked
            logger.exception("Waitlist offer %s could not be sent", offer.pk)
            WaitlistOffer.objects.filter(pk=offer.pk, answer=Answer.PENDING).update(
                answer=Answer.EXPIRED, expires_at=timezone.now()
            )
            enqueue_on_commit(offer_next_task, offer.opening_id)
            return False
    return True
