"""What the public vacancy pages read: an organization's published houses, with their rent and beds free. Only
published listings of open houses exist here; nothing about any person is read. A fixed number of queries
whatever the number of houses."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.models import Organization
from billing.models import HouseBillingPolicy
from houses.models import House

from .models import HouseListing, ListingFee, ListingPhoto
from .selectors import Vacancy, vacancies

# Who a house is for and its NARR level as the public pages say them, in the visitor's language.
GENDER_WORDS = {
    House.Gender.MEN: pgettext_lazy("houses for", "Men"),
    House.Gender.WOMEN: pgettext_lazy("houses for", "Women"),
    House.Gender.COED: pgettext_lazy("houses for", "Co-ed"),
}
NARR_LEVEL_WORDS = {
    House.Level.I: gettext_lazy("Level I (peer-run)"),
    House.Level.II: gettext_lazy("Level II (monitored)"),
    House.Level.III: gettext_lazy("Level III (supervised)"),
    House.Level.IV: gettext_lazy("Level IV (service provider)"),
}


def gender_words(house: House) -> str:
    return GENDER_WORDS.get(house.gender) or house.get_gender_display()


@dataclass
class PublicHouse:
    """One published house as the public sees it: its listing, its house's rent terms (None: "ask us") and its beds
    free tonight and opening soon (``vacancies.selectors.vacancies``)."""

    listing: HouseListing
    policy: HouseBillingPolicy | None
    vacancy: Vacancy

    @property
    def house(self):
        return self.listing.house

    @property
    def gender(self) -> str:
        return gender_words(self.house)

    @property
    def narr_level(self) -> str:
        return NARR_LEVEL_WORDS.get(self.house.narr_level, "")

    @property
    def included(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.listing.included.splitlines() if line.strip(" -•\t")]

    @property
    def ages(self) -> str:
        listing = self.listing
        if listing.max_age is None:
            return _("%(youngest)s and over") % {"youngest": listing.min_age}
        return _("%(youngest)s to %(oldest)s") % {"youngest": listing.min_age, "oldest": listing.max_age}


PUBLIC_PAGE_SIZE = 24


def public_organization(slug: str) -> Organization:
    """The organization of ``slug``, when it publishes at least one house; otherwise 404 (an operator that has not
    opted in has no public face)."""
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None or not HouseListing.objects.published().filter(organization=organization).exists():
        raise Http404("No public vacancy page here.")
    return organization


def _listings(organization: Organization):
    return (
        HouseListing.objects.published()
        .filter(organization=organization)
        .select_related("house", "house__billing_policy")
        .order_by("house__name", "pk")
    )


def _public(listings: list[HouseListing], organization: Organization) -> list[PublicHouse]:
    free = vacancies([listing.house_id for listing in listings], today=organization.today())
    return [
        PublicHouse(
            listing=listing, policy=getattr(listing.house, "billing_policy", None), vacancy=free[listing.house_id]
        )
        for listing in listings
    ]


def public_houses_page(*, organization: Organization, page: str | None) -> Page:
    """One page of the organization's published houses, by name: the beds are counted for that page's houses only,
    so an operator of thousands of houses answers as fast as one of ten."""
    shown = Paginator(_listings(organization), PUBLIC_PAGE_SIZE).get_page(page)
    shown.object_list = _public(list(shown.object_list), organization)
    return shown


def public_house(*, organization: Organization, slug: str) -> PublicHouse:
    """One published house of the organization by its listing's slug, with its fees and photos; 404 otherwise."""
    listing = (
        _listings(organization)
        .filter(slug=slug)
        .prefetch_related(
            Prefetch("fees", queryset=ListingFee.objects.order_by("name")),
            Prefetch("photos", queryset=ListingPhoto.objects.order_by("position", "pk")),
        )
        .first()
    )
    if listing is None:
        raise Http404("No such house.")
    return _public([listing], organization)[0]


def public_photo(*, organization: Organization, slug: str, photo_id: int) -> ListingPhoto:
    """A photo of a published house's listing; 404 for any other."""
    photo = ListingPhoto.objects.filter(
        pk=photo_id,
        listing__in=HouseListing.objects.published().filter(organization=organization, slug=slug),
    ).first()
    if photo is None:
        raise Http404("No such photo.")
    return photo
