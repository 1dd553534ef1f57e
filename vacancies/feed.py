"""The open vacancy feed: every published house with what it costs and its beds open now and soon, for 211 lines,
state directories and the operators' own websites. Counts only, never a person; bed counts come from
``vacancies.selectors.vacancies`` (the one answer), on each organization's own date."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.money import money_words
from billing.models import HouseBillingPolicy, LateFeeKind

from .models import HouseListing
from .selectors import HORIZON_DAYS, Vacancy, vacancies

CACHE_SECONDS = 60
PAGE_SIZE = 100
MAX_PAGE_SIZE = 100
GENDERS = ("men", "women", "coed")
BOOLEANS = {"true": True, "false": False}


class BadFilter(Exception):
    """A query parameter the feed cannot read: answered 400 with the parameter and why."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass
class Filters:
    organization: str | None = None
    city: str | None = None
    gender: str | None = None
    moud: bool | None = None
    page: int = 1
    per_page: int = PAGE_SIZE

    def key(self) -> str:
        return urlencode(sorted((name, str(value)) for name, value in vars(self).items() if value is not None))


def _one(query, name: str) -> str | None:
    values = query.getlist(name)
    if len(values) > 1:
        raise BadFilter(name, f"Give {name} once.")
    if values and "\x00" in values[0]:  # PostgreSQL cannot hold a NUL character in any text
        raise BadFilter(name, f"{name} cannot contain a NUL character.")
    return values[0].strip() if values else None


def _positive(value: str | None, name: str, *, default: int, most: int | None = None) -> int:
    if value is None:
        return default
    # ASCII digits only: str.isdigit() also takes "²" or "٣", which int() then refuses.
    if not (value.isascii() and value.isdigit()) or len(value) > 6 or int(value) < 1:
        raise BadFilter(name, f"{name} must be a whole number from 1.")
    if most is not None and int(value) > most:
        raise BadFilter(name, f"{name} can be at most {most}.")
    return int(value)


def read_filters(query, *, allowed: tuple[str, ...]) -> Filters:
    """The feed's filters from a query string; an unknown parameter or a value out of its range is a ``BadFilter``."""
    unknown = sorted(set(query) - set(allowed))
    if unknown:
        raise BadFilter(unknown[0], f"Unknown parameter {unknown[0]!r}: this feed takes {', '.join(allowed)}.")
    filters = Filters()
    organization = _one(query, "organization")
    if organization is not None:
        if not organization or len(organization) > 60 or not all(c.isalnum() or c in "-_" for c in organization):
            raise BadFilter("organization", "organization is an organization's slug: letters, numbers and hyphens.")
        filters.organization = organization.lower()
    city = _one(query, "city")
    if city is not None:
        if not city or len(city) > 100:
            raise BadFilter("city", "city is a city's name, up to 100 characters.")
        filters.city = city
    gender = _one(query, "gender")
    if gender is not None:
        if gender not in GENDERS:
            raise BadFilter("gender", f"gender is one of {', '.join(GENDERS)}.")
        filters.gender = gender
    moud = _one(query, "moud")
    if moud is not None:
        if moud.lower() not in BOOLEANS:
            raise BadFilter("moud", "moud is true or false.")
        filters.moud = BOOLEANS[moud.lower()]
    filters.page = _positive(_one(query, "page"), "page", default=1)
    filters.per_page = _positive(_one(query, "per_page"), "per_page", default=PAGE_SIZE, most=MAX_PAGE_SIZE)
    return filters


@dataclass
class Entry:
    """One published house in the feed: its listing (with house, organization, billing policy and fees joined) and
    its vacancy."""

    listing: HouseListing
    vacancy: Vacancy

    @property
    def house(self):
        return self.listing.house

    @property
    def organization(self):
        return self.listing.organization

    @property
    def policy(self):
        # Read at render, so a listing published before its rent was set (or whose rent changed) shows today's.
        return getattr(self.house, "billing_policy", None)


def public_path(listing: HouseListing) -> str:
    return f"/v/{listing.organization.slug}/{listing.slug}/"


def public_url(listing: HouseListing) -> str:
    return settings.SITE_URL.rstrip("/") + public_path(listing)


def embed_url(listing: HouseListing) -> str:
    return public_url(listing) + "embed/"


def street_address(listing: HouseListing) -> str | None:
    """The street, only when the operator publishes it (otherwise the city and neighbourhood stand for it)."""
    house = listing.house
    if not listing.show_street_address:
        return None
    return ", ".join(part for part in (house.address_line1, house.address_line2) if part) or None


def published_listings(filters: Filters):
    """The published listings the filters match, in a stable order (organization, house), everything the feed shows
    joined: two queries whatever their number."""
    listings = (
        HouseListing.objects.published()
        .select_related("organization", "house", "house__billing_policy")
        .prefetch_related("fees")
        .order_by("organization__name", "organization_id", "house__name", "pk")
    )
    if filters.organization:
        listings = listings.filter(organization__slug=filters.organization)
    if filters.city:
        listings = listings.filter(house__city__iexact=filters.city)
    if filters.gender:
        listings = listings.filter(house__gender=filters.gender)
    if filters.moud is not None:
        listings = listings.filter(accepts_moud=filters.moud)
    return listings


def entries(listings: list[HouseListing]) -> list[Entry]:
    """Each listing with its vacancy, counted on its organization's date. Organizations are grouped by that date
    (time zones put them on at most three dates at once), so the queries do not grow with organizations."""
    by_day = defaultdict(list)
    for listing in listings:
        by_day[listing.organization.today()].append(listing.house_id)
    counted = {}
    for day, house_ids in by_day.items():
        counted.update(vacancies(house_ids, today=day))
    return [Entry(listing=listing, vacancy=counted[listing.house_id]) for listing in listings]


def vacancies_for(listing: HouseListing) -> Vacancy:
    """One listed house's vacancy on its organization's date."""
    return vacancies([listing.house_id], today=listing.organization.today())[listing.house_id]


def page_of(filters: Filters) -> tuple[list[Entry], int]:
    """The requested page of entries and the total number matching."""
    listings = published_listings(filters)
    total = listings.count()
    start = (filters.page - 1) * filters.per_page
    page = list(listings[start : start + filters.per_page]) if start < total else []
    return entries(page), total


def money(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount.quantize(Decimal("0.01")))


@dataclass(frozen=True)
class LateFee:
    """The late fee a house's rent terms charge (``HouseBillingPolicy``): a flat amount or a percent of the overdue
    rent, once rent is unpaid more than ``grace_days`` after its due date. A fee like any other, so every public
    disclosure of what a bed costs shows it."""

    amount: Decimal | None
    percent: Decimal | None
    grace_days: int

    def words(self, currency: str) -> str:
        """``$50.00 if rent is unpaid more than 3 days after its due date``, in the active language (the feeds are
        built in English: ``cached_json``)."""
        if self.amount is not None:
            values = {"amount": money_words(self.amount, currency), "days": self.grace_days}
            if not self.grace_days:
                return _("%(amount)s if rent is unpaid after its due date") % values
            return (
                ngettext(
                    "%(amount)s if rent is unpaid more than %(days)s day after its due date",
                    "%(amount)s if rent is unpaid more than %(days)s days after its due date",
                    self.grace_days,
                )
                % values
            )
        values = {"percent": f"{self.percent.normalize():f}", "days": self.grace_days}
        if not self.grace_days:
            return _("%(percent)s%% of the overdue rent if rent is unpaid after its due date") % values
        return (
            ngettext(
                "%(percent)s%% of the overdue rent if rent is unpaid more than %(days)s day after its due date",
                "%(percent)s%% of the overdue rent if rent is unpaid more than %(days)s days after its due date",
                self.grace_days,
            )
            % values
        )


def late_fee(policy: HouseBillingPolicy | None) -> LateFee | None:
    """The late fee of ``policy``, or None when the house charges none (or has no rent terms)."""
    if policy is None:
        return None
    if policy.late_fee_kind == LateFeeKind.FLAT and policy.late_fee_amount > 0:
        return LateFee(amount=policy.late_fee_amount, percent=None, grace_days=policy.late_fee_grace_days)
    if policy.late_fee_kind == LateFeeKind.PERCENT and policy.late_fee_percent > 0:
        return LateFee(amount=None, percent=policy.late_fee_percent, grace_days=policy.late_fee_grace_days)
    return None


def late_fee_item(policy: HouseBillingPolicy | None, currency: str) -> dict | None:
    found = late_fee(policy)
    if found is None:
        return None
    return {
        "amount": money(found.amount),
        "percent_of_overdue_rent": None if found.percent is None else str(found.percent.quantize(Decimal("0.01"))),
        "grace_days": found.grace_days,
        "description": f"Late fee: {found.words(currency)}",
    }


def vacancy_item(entry: Entry) -> dict:
    """One house in the vacancy feed (``GET /api/public/v1/vacancies/``)."""
    listing, house, organization, vacancy, policy = (
        entry.listing,
        entry.house,
        entry.organization,
        entry.vacancy,
        entry.policy,
    )
    return {
        "organization": {"name": organization.name, "slug": organization.slug},
        "house": {"name": house.name, "slug": listing.slug},
        "url": public_url(listing),
        "embed_url": embed_url(listing),
        "city": house.city,
        "state": house.state,
        "neighbourhood": listing.neighbourhood,
        "street_address": street_address(listing),
        "postal_code": house.postal_code if listing.show_street_address else None,
        "gender": house.gender,
        "ages": {"min": listing.min_age, "max": listing.max_age},
        "narr_level": house.narr_level,
        "accepts_moud": listing.accepts_moud,
        "currency": organization.currency,
        "rent": {"amount": money(policy.rent_amount), "period": policy.rent_period} if policy else None,
        "deposit": money(policy.deposit_amount) if policy else None,
        "fees": [
            {
                "name": fee.name,
                "amount": money(fee.amount),
                "frequency": fee.frequency,
                "refundable": fee.refundable,
                "note": fee.note,
            }
            for fee in listing.fees.all()
        ],
        "late_fee": late_fee_item(policy, organization.currency),
        "refund_policy": listing.refund_policy,
        "included": [line.strip() for line in listing.included.splitlines() if line.strip()],
        "beds_in_service": vacancy.in_service,
        "open_now": vacancy.open_now,
        "opening_soon": {
            "within_days": HORIZON_DAYS,
            "beds": vacancy.opening_soon,
            "dates": [{"date": night.isoformat(), "beds": beds} for night, beds in vacancy.opening_dates],
        },
        "contact": {"phone": listing.contact_phone or None, "email": listing.contact_email or None},
        "listing_updated": listing.updated_at.isoformat(),
        "updated": vacancy.updated.isoformat(),
    }


def vacancies_body(filters: Filters) -> dict:
    found, total = page_of(filters)
    pages = max(1, -(-total // filters.per_page))
    return {
        "count": total,
        "page": filters.page,
        "pages": pages,
        "per_page": filters.per_page,
        "horizon_days": HORIZON_DAYS,
        "results": [vacancy_item(entry) for entry in found],
    }


# Open to every site: the feed is public data, read by browsers on other origins (a state directory's map).
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}


def with_cors(response: HttpResponse) -> HttpResponse:
    for name, value in CORS_HEADERS.items():
        response[name] = value
    return response


def preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = "GET, HEAD, OPTIONS"
    return with_cors(response)


def bad_filter(error: BadFilter) -> JsonResponse:
    response = JsonResponse({"detail": error.message, "errors": {error.parameter: [error.message]}}, status=400)
    return with_cors(response)


def cached_json(kind: str, filters: Filters, build) -> HttpResponse:
    """The feed's body for ``filters``, computed at most once a minute (the cache holds the serialized JSON), with
    the headers that let browsers and proxies keep it a minute too."""
    key = f"vacancies-feed:{kind}:{filters.key()}"
    body = cache.get(key)
    if body is None:
        # Data for integrators: its words (a late fee's description) are English whatever the browser asks for.
        with translation.override("en"):
            body = JsonResponse(build(filters), json_dumps_params={"ensure_ascii": False}).content
        cache.set(key, body, CACHE_SECONDS)
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return with_cors(response)
