"""What the staff read about referral partners, and everything a partner may read: the vacancies of the houses
shared with it and the status of its own referrals, never more of an applicant than a first name, a last initial,
a date, the house asked for and a status."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts.models import Membership, Role
from houses.models import House
from residents.models import Application

from .models import Referral, ReferralPartner
from .public_selectors import gender_words
from .selectors import vacancies


def partners_list(*, viewer: Membership) -> QuerySet[ReferralPartner]:
    """The organization's partners for its staff (operators manage them, managers read them), with the houses
    shared and how many people each referred: three queries whatever the number of partners."""
    if not viewer.is_staff_member:
        return ReferralPartner.objects.none()
    return (
        ReferralPartner.objects.filter(organization_id=viewer.organization_id)
        .annotate(referral_count=Count("referrals", distinct=True))
        .prefetch_related("houses")
        .order_by("name")
    )


def partner_for_link(token: str) -> ReferralPartner | None:
    """The partner whose private link this is, while the link is on and the partner active; None otherwise (the
    page answers 404 alike for an unknown, disabled or rotated link)."""
    if not token:
        return None
    return (
        ReferralPartner.objects.select_related("organization")
        .filter(link_token=token, link_enabled=True, is_active=True)
        .first()
    )


def partners_of_referrer(*, viewer: Membership) -> QuerySet[ReferralPartner]:
    """The active partners a referrer's login belongs to, in the organization it acts within."""
    if viewer.role != Role.REFERRER:
        return ReferralPartner.objects.none()
    return (
        ReferralPartner.objects.select_related("organization")
        .filter(organization_id=viewer.organization_id, members=viewer, is_active=True)
        .order_by("name")
    )


def shared_houses(partner: ReferralPartner) -> QuerySet[House]:
    """The houses shared with the partner that still take residents."""
    return partner.houses.filter(status=House.Status.ACTIVE, closed_on__isnull=True).order_by("name")


@dataclass(frozen=True)
class SharedHouse:
    """One shared house as a partner sees it: who it serves, its rent, its free beds. Nothing about a resident."""

    pk: int
    name: str
    city: str
    serves: str
    ages: str
    accepts_moud: bool | None
    rent: object  # Decimal, or None when the house has no rent terms yet
    rent_period: str
    open_now: int
    opening_dates: list[tuple[date, int]]


def _ages(listing) -> str:
    if listing is None:
        return ""
    if listing.max_age:
        return _("%(youngest)s to %(oldest)s") % {"youngest": listing.min_age, "oldest": listing.max_age}
    return _("%(youngest)s and over") % {"youngest": listing.min_age}


def _one_to_one(house, name):
    # A reverse one-to-one fetched by select_related raises when the row is missing.
    try:
        return getattr(house, name)
    except House._meta.get_field(name).related_model.DoesNotExist:
        return None


def partner_vacancies(partner: ReferralPartner) -> list[SharedHouse]:
    """Each shared house with its open beds tonight and those opening in the next 14 days (the one vacancy answer,
    on the organization's date). Five queries whatever the number of houses."""
    houses = list(shared_houses(partner).select_related("billing_policy", "listing"))
    free = vacancies(houses, today=partner.organization.today())
    rows = []
    for house in houses:
        listing, policy = _one_to_one(house, "listing"), _one_to_one(house, "billing_policy")
        vacancy = free[house.pk]
        rows.append(
            SharedHouse(
                pk=house.pk,
                name=house.name,
                city=house.city,
                serves=gender_words(house),
                ages=_ages(listing),
                accepts_moud=listing.accepts_moud if listing is not None else None,
                rent=policy.rent_amount if policy is not None else None,
                rent_period=policy.rent_period if policy is not None else "",
                open_now=vacancy.open_now,
                opening_dates=vacancy.opening_dates,
            )
        )
    return rows


# The statuses a partner sees, in the words of their work: one label per step, not the organization's pipeline.
PARTNER_STATUSES = {
    "received": pgettext_lazy("referral status", "Received"),
    "contacted": pgettext_lazy("referral status", "Contacted"),
    "interview": pgettext_lazy("referral status", "Interview"),
    "accepted": pgettext_lazy("referral status", "Accepted"),
    "admitted": pgettext_lazy("referral status", "Admitted"),
    "declined": pgettext_lazy("referral status", "Declined"),
    "withdrawn": pgettext_lazy("referral status", "Withdrawn"),
}


def partner_status(*, status: str, first_contacted_at) -> str:
    """An application's status as its referring partner sees it: received (new, nobody has replied yet), contacted
    (new after a first reply, or screening), interview, accepted (waitlisted or accepted: the house will take the
    person), admitted, declined, withdrawn."""
    if status == Application.Status.NEW:
        return "received" if first_contacted_at is None else "contacted"
    return {
        Application.Status.SCREENING: "contacted",
        Application.Status.INTERVIEW: "interview",
        Application.Status.WAITLISTED: "accepted",
        Application.Status.ACCEPTED: "accepted",
        Application.Status.ADMITTED: "admitted",
        Application.Status.DECLINED: "declined",
        Application.Status.WITHDRAWN: "withdrawn",
    }[status]


def _house_asked_for(row: dict) -> str:
    if row["application__preferred_house_id"] is None:
        return _("Any house")
    return row["application__preferred_house__name"] if row["house_shared"] else _("Another house")


@dataclass(frozen=True)
class PartnerReferral:
    """A referral as the partner sees it: enough to recognise the person, and where their application stands."""

    name: str
    referred_on: date
    house: str
    status: str
    status_label: str
    decline_reason: str


def partner_referrals(partner: ReferralPartner) -> list[PartnerReferral]:
    """The partner's own referrals, newest first: first name and last initial, the day referred, the house asked
    for (named only when it is shared with the partner: staff may have changed it to another), the status as
    partners see it and a decline's reason. One query; only these columns are read, so nothing else of the
    applicant can reach a partner's page."""
    shared = ReferralPartner.houses.through.objects.filter(
        referralpartner_id=partner.pk, house_id=OuterRef("application__preferred_house_id")
    )
    rows = (
        Referral.objects.filter(partner=partner)
        .filter(Q(application__organization_id=partner.organization_id))
        .annotate(house_shared=Exists(shared))
        .order_by("-created_at", "-pk")
        .values(
            "created_at",
            "application__first_name",
            "application__last_name",
            "application__preferred_house_id",
            "application__preferred_house__name",
            "house_shared",
            "application__status",
            "application__first_contacted_at",
            "application__decline_reason",
        )
    )
    tz = partner.organization.tzinfo
    found = []
    for row in rows:
        status = partner_status(
            status=row["application__status"], first_contacted_at=row["application__first_contacted_at"]
        )
        last = row["application__last_name"].strip()
        found.append(
            PartnerReferral(
                name=f"{row['application__first_name']} {last[:1]}." if last else row["application__first_name"],
                referred_on=row["created_at"].astimezone(tz).date(),
                house=_house_asked_for(row),
                status=status,
                status_label=PARTNER_STATUSES[status],
                decline_reason=row["application__decline_reason"] if status == "declined" else "",
            )
        )
    return found
