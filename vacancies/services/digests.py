"""The daily vacancy digest to referral partners.

Once a day (the organization's date), each active partner who opted in (``digest_opt_in``) and has an e-mail
address gets one e-mail listing the open openings from that day on of the houses shared with them that no earlier
digest told them of (house, night, beds), with the link to their private page. Nothing new, no e-mail.

The digest row (``PartnerDigest``, unique per partner and day) is inserted first, with its openings, and the e-mail
goes only after that insert committed: two runs at once (two workers, a beat run overlapping the next) both try
the insert, the database lets one through, and the other skips the partner. A send that fails deletes the row, so
a later run that day tries again.
"""

import logging
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import ngettext

from accounts.models import Organization
from accounts.tenancy import organization_clock

from ..models import BedOpening, PartnerDigest, ReferralPartner

logger = logging.getLogger("vacancies.digests")


def partner_link(partner: ReferralPartner) -> str:
    """The partner's private vacancy page (``vacancies.partner_urls``), when their link works."""
    if not partner.link_enabled:
        return ""
    return f"{settings.SITE_URL.rstrip('/')}/r/{partner.link_token}/"


def _claim(partner: ReferralPartner, on: date, openings: list[BedOpening]) -> PartnerDigest | None:
    try:
        with transaction.atomic():
            digest = PartnerDigest.objects.create(partner=partner, sent_on=on)
            digest.openings.set(openings)
    except IntegrityError:
        return None  # another run sent today's already
    return digest


def _lines(openings: list[BedOpening]) -> list[dict]:
    """The openings as the e-mail lists them: beds by house and night."""
    beds = defaultdict(int)
    for opening in openings:
        beds[(opening.house.name, opening.house.city, opening.opens_on)] += 1
    return [
        {"house": house, "city": city, "night": night, "beds": count}
        for (house, city, night), count in sorted(beds.items(), key=lambda item: (item[0][2], item[0][0]))
    ]


def digest_email(partner: ReferralPartner, organization: Organization, openings: list[BedOpening], connection):
    """The digest's e-mail, in the site's language (a partner records no language of its own)."""
    context = {
        "partner": partner.name,
        "contact": partner.contact_name,
        "organization": organization.name,
        "lines": _lines(openings),
        "link": partner_link(partner),
    }
    count = len(openings)
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "%(organization)s: %(count)s bed opening", "%(organization)s: %(count)s beds opening", count
        ) % {"organization": organization.name, "count": count}
        body = render_to_string("vacancies/emails/partner_digest.txt", context)
    return EmailMessage(subject=subject, body=body, to=[partner.email], connection=connection)


def partner_digests_send(*, organization: Organization, on: date) -> list[PartnerDigest]:
    """Sends the organization's digests for its day ``on`` (see the module docstring). Idempotent: a second run the
    same day sends nothing. A fixed number of reads whatever the number of partners and houses; one insert and one
    e-mail per partner with news. Returns the digests sent."""
    partners = list(
        ReferralPartner.objects.filter(organization=organization, is_active=True, digest_opt_in=True)
        .exclude(email="")
        .prefetch_related("houses")
        .order_by("pk")
    )
    if not partners:
        return []
    sent_today = set(
        PartnerDigest.objects.filter(partner__in=partners, sent_on=on).values_list("partner_id", flat=True)
    )
    told = set(
        PartnerDigest.openings.through.objects.filter(partnerdigest__partner__in=partners).values_list(
            "partnerdigest__partner_id", "bedopening_id"
        )
    )
    openings = list(
        BedOpening.objects.filter(organization=organization, filled_at__isnull=True, cancelled_at__isnull=True)
        .filter(opens_on__gte=on)  # a night that passed is no news (a partner who just opted in)
        .select_related("house")
        .order_by("opens_on", "pk")
    )
    sent = []
    connection = get_connection()
    with organization_clock(organization):
        for partner in partners:
            if partner.pk in sent_today:
                continue
            shared = {house.pk for house in partner.houses.all()}
            news = [o for o in openings if o.house_id in shared and (partner.pk, o.pk) not in told]
            if not news:
                continue
            digest = _claim(partner, on, news)
            if digest is None:
                continue
            try:
                digest_email(partner, organization, news, connection).send()
            except Exception:  # one bad address must not stop the others
                logger.exception("Vacancy digest to partner %s could not be sent", partner.pk)
                digest.delete()
                continue
            sent.append(digest)
    return sent
