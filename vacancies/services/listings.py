"""Writes to what a house publishes: its listing (publishing it among them), the fees beyond rent and deposit, and
its photos. Operators only: the public face of a house is the organization's to decide. Nothing here is about a
person, so nothing is audited."""

import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email, validate_slug
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from PIL import Image, ImageOps, UnidentifiedImageError

from accounts.exceptions import Conflict, Invalid, NotAllowed
from accounts.models import Membership
from billing.models import HouseBillingPolicy
from houses.models import House

from ..models import HouseListing, ListingFee, ListingPhoto

# Words the public pages use after /v/<organization>/, which a house's slug must not take.
RESERVED_SLUGS = frozenset({"apply", "embed", "photos", "feed", "status", "partners"})
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 12
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Re-encoding settings: close to the phone's own quality, so a photo does not visibly lose detail.
PHOTO_SAVE_OPTIONS = {"JPEG": {"quality": 90, "optimize": True}, "PNG": {"optimize": True}, "WEBP": {"quality": 90}}
# Phone photos run to about 50 megapixels; past that a file is more likely a decompression bomb than a bedroom.
MAX_PHOTO_PIXELS = 60_000_000
MAX_FEE = Decimal("100000.00")

LISTING_FIELDS = (
    "published",
    "slug",
    "summary",
    "min_age",
    "max_age",
    "accepts_moud",
    "included",
    "refund_policy",
    "neighbourhood",
    "show_street_address",
    "contact_phone",
    "contact_email",
)
FEE_FIELDS = ("name", "amount", "frequency", "refundable", "note")


# What an operator alone may change, as the refusal says it.
WHAT = {
    "listing": gettext_noop("Only an operator of the organization may change a house's public listing."),
    "fees": gettext_noop("Only an operator of the organization may change a house's fees."),
    "photos": gettext_noop("Only an operator of the organization may change a house's photos."),
}


def _require_operator(actor: Membership, organization_id: int, what: str) -> None:
    """The organization's operators decide what the public sees of its houses."""
    if not (actor.is_operator and actor.organization_id == organization_id):
        raise NotAllowed(_(WHAT[what]))


def listing_suggest_slug(*, house: House) -> str:
    """A free slug for ``house`` in its organization, from its name: "Maple House" gives "maple-house", then
    "maple-house-2" when that is taken."""
    base = slugify(house.name)[:50].strip("-") or "house"
    if base in RESERVED_SLUGS:
        base = f"{base}-house"
    taken = set(
        HouseListing.objects.filter(organization_id=house.organization_id, slug__startswith=base)
        .exclude(house=house)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


REFUND_POLICY_NEEDED = gettext_noop(
    "Write the refund policy: the house takes a deposit or a refundable fee, and the public page must say when and "
    "how it is refunded."
)


def _needs_refund_policy(house: House, listing: HouseListing) -> bool:
    """A deposit above zero or a refundable fee: money the public must know the refund terms of."""
    if HouseBillingPolicy.objects.filter(house=house, deposit_amount__gt=0).exists():
        return True
    return listing.pk is not None and listing.fees.filter(refundable=True).exists()


def _check_listing(house: House, listing: HouseListing, values: dict) -> None:
    slug = values["slug"]
    try:
        validate_slug(slug)
    except ValidationError:
        raise Invalid(_("Use only lowercase letters, numbers and hyphens."), field="slug") from None
    if slug != slug.lower() or len(slug) > 60:
        raise Invalid(_("Use only lowercase letters, numbers and hyphens, at most 60."), field="slug")
    if slug in RESERVED_SLUGS:
        raise Invalid(_("“%(slug)s” is a word the public pages use; choose another.") % {"slug": slug}, field="slug")
    if HouseListing.objects.filter(organization_id=house.organization_id, slug=slug).exclude(house=house).exists():
        raise Invalid(_("Another house of the organization already has this address."), field="slug")
    min_age, max_age = values["min_age"], values["max_age"]
    if not 16 <= min_age <= 99:
        raise Invalid(_("The youngest age accepted is between 16 and 99."), field="min_age")
    if max_age is not None and not min_age <= max_age <= 120:
        raise Invalid(_("The oldest age accepted cannot be below the youngest."), field="max_age")
    if values["contact_email"]:
        try:
            validate_email(values["contact_email"])
        except ValidationError:
            raise Invalid(_("Enter a valid e-mail address."), field="contact_email") from None
    if values["published"]:
        if house.status != House.Status.ACTIVE or house.closed_on is not None:
            raise Conflict(_("A closed house cannot be published."), field="published")
        if not HouseBillingPolicy.objects.filter(house=house).exists():
            raise Conflict(
                _("Set the house's rent first (Rent & fees): the public page must show what a bed costs."),
                field="published",
            )
        if not values["refund_policy"] and _needs_refund_policy(house, listing):
            raise Conflict(_(REFUND_POLICY_NEEDED), field="refund_policy")


@transaction.atomic
def listing_save(*, actor: Membership, house: House, **changes) -> HouseListing:
    """Creates or changes ``house``'s listing with ``changes`` (any of ``LISTING_FIELDS``). The slug is unique in the
    organization and not a word the public pages use; the age range is in order; publishing needs an open house
    with its rent set (a billing policy), since the public page shows what a bed costs, and a refund policy when the
    house takes a deposit or a refundable fee."""
    _require_operator(actor, house.organization_id, "listing")
    unknown = set(changes) - set(LISTING_FIELDS)
    if unknown:
        raise Invalid(_("Unknown listing fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    # Lock the house so two operators saving its first listing at once cannot both create one.
    house = House.objects.select_for_update().get(pk=house.pk)
    listing = HouseListing.objects.filter(house=house).first()
    if listing is None:
        listing = HouseListing(
            organization_id=house.organization_id, house=house, slug=listing_suggest_slug(house=house)
        )
    values = {name: changes.get(name, getattr(listing, name)) for name in LISTING_FIELDS}
    values["slug"] = (values["slug"] or "").strip()
    for name in ("summary", "included", "refund_policy", "neighbourhood", "contact_phone", "contact_email"):
        values[name] = (values[name] or "").strip()
    _check_listing(house, listing, values)
    for name, value in values.items():
        setattr(listing, name, value)
    listing.updated_by = actor.user
    try:
        with transaction.atomic():
            listing.save()
    except IntegrityError:
        # Another house took the slug between the check and the write.
        raise Invalid(_("Another house of the organization already has this address."), field="slug") from None
    return listing


def _touch(listing: HouseListing, actor: Membership) -> None:
    """A change of fees or photos is a change of the listing: its ``updated_at`` is what the feeds publish."""
    listing.updated_by = actor.user
    listing.save(update_fields=["updated_by", "updated_at"])


def _check_fee(listing: HouseListing, values: dict, *, fee: ListingFee | None = None) -> None:
    name = values["name"]
    if not name:
        raise Invalid(_("Name the fee."), field="name")
    if len(name) > 80:
        raise Invalid(_("At most 80 characters."), field="name")
    if len(values["note"]) > 200:
        raise Invalid(_("At most 200 characters."), field="note")
    amount = values["amount"]
    if amount is None or not amount.is_finite() or amount < 0:
        raise Invalid(_("The amount cannot be negative."), field="amount")
    if amount > MAX_FEE or amount != amount.quantize(Decimal("0.01")):
        raise Invalid(_("Enter an amount in dollars and cents, up to 100,000."), field="amount")
    if values["frequency"] not in ListingFee.Frequency.values:
        raise Invalid(_("Choose how often the fee is charged."), field="frequency")
    if values["refundable"] and listing.published and not listing.refund_policy:
        raise Conflict(
            _("Write the listing's refund policy first: a published house must say how a refundable fee is refunded."),
            field="refundable",
        )
    same = ListingFee.objects.filter(listing=listing, name__iexact=name)
    if fee is not None:
        same = same.exclude(pk=fee.pk)
    if same.exists():
        raise Invalid(_("The listing already has a fee with this name."), field="name")


def _fee_values(source: dict, base: dict) -> dict:
    values = {name: source.get(name, base[name]) for name in FEE_FIELDS}
    values["name"] = (values["name"] or "").strip()
    values["note"] = (values["note"] or "").strip()
    values["refundable"] = bool(values["refundable"])
    return values


@transaction.atomic
def listing_fee_add(*, actor: Membership, listing: HouseListing, **fields) -> ListingFee:
    """Adds a fee beyond rent and deposit to ``listing`` (``FEE_FIELDS``): named once per listing, not negative."""
    _require_operator(actor, listing.organization_id, "fees")
    listing = HouseListing.objects.select_for_update().get(pk=listing.pk)  # fee names are unique per listing
    base = {"name": "", "amount": None, "frequency": ListingFee.Frequency.ONCE, "refundable": False, "note": ""}
    values = _fee_values(fields, base)
    _check_fee(listing, values)
    fee = ListingFee.objects.create(listing=listing, **values)
    _touch(listing, actor)
    return fee


@transaction.atomic
def listing_fee_update(*, actor: Membership, fee: ListingFee, **changes) -> ListingFee:
    """Changes a fee's name, amount, frequency, refundability or note, under the rules of ``listing_fee_add``."""
    _require_operator(actor, fee.listing.organization_id, "fees")
    listing = HouseListing.objects.select_for_update().get(pk=fee.listing_id)
    values = _fee_values(changes, {name: getattr(fee, name) for name in FEE_FIELDS})
    _check_fee(listing, values, fee=fee)
    for name, value in values.items():
        setattr(fee, name, value)
    fee.save()
    _touch(listing, actor)
    return fee


@transaction.atomic
def listing_fee_remove(*, actor: Membership, fee: ListingFee) -> None:
    """Removes a fee the house no longer charges: it leaves the public page and the feeds at once."""
    _require_operator(actor, fee.listing.organization_id, "fees")
    listing = fee.listing
    fee.delete()
    _touch(listing, actor)


def _read_image(image: UploadedFile) -> tuple[str, int, int]:
    """The format, width and height of an uploaded photo, read by Pillow: refuses a file that is not a JPEG, PNG or
    WebP image, whatever its name says."""
    if image.size is None or image.size > MAX_PHOTO_BYTES:
        raise Invalid(_("A photo can be at most 5 MB."), field="image")
    if image.size == 0:
        raise Invalid(_("The file is empty."), field="image")
    try:
        image.seek(0)
        with Image.open(image) as opened:
            opened.verify()  # reads the whole file: a truncated or forged one fails here
        image.seek(0)
        with Image.open(image) as opened:
            kind, (width, height) = opened.format, opened.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Invalid(
            _("The file is not a photo Hearth can read: send a JPEG, PNG or WebP image."), field="image"
        ) from None
    finally:
        image.seek(0)
    if kind not in PHOTO_FORMATS:
        raise Invalid(_("Send a JPEG, PNG or WebP image."), field="image")
    if width * height > MAX_PHOTO_PIXELS:
        raise Invalid(_("The photo is too large: at most 60 megapixels."), field="image")
    return kind, width, height


def _clean_copy(image: UploadedFile, kind: str) -> tuple[ContentFile, int, int]:
    """A fresh encoding of a checked photo, turned upright by its EXIF orientation and carrying none of the file's
    metadata (EXIF with the phone's GPS position, ICC profile, XMP, comments): a bedroom photo must not tell the
    public where it was taken or on what phone. Returns the new file, its width and its height."""
    try:
        image.seek(0)
        with Image.open(image) as opened:
            upright = ImageOps.exif_transpose(opened)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Invalid(
            _("The file is not a photo Hearth can read: send a JPEG, PNG or WebP image."), field="image"
        ) from None
    finally:
        image.seek(0)
    # Only the pixels go out: the encoders would otherwise copy comments, profiles and the like from ``info``.
    transparency = upright.info.get("transparency")
    upright.info = {} if transparency is None else {"transparency": transparency}
    if kind == "JPEG" and upright.mode not in ("L", "RGB", "CMYK"):
        upright = upright.convert("RGB")
    buffer = io.BytesIO()
    upright.save(buffer, format=kind, **PHOTO_SAVE_OPTIONS[kind])
    return ContentFile(buffer.getvalue()), upright.width, upright.height


@transaction.atomic
def listing_photo_add(*, actor: Membership, listing: HouseListing, image: UploadedFile, alt_text: str) -> ListingPhoto:
    """Adds a photo at the end of ``listing``'s photos, with the description screen readers read (required). The
    file must be a real JPEG, PNG or WebP image (read by Pillow, not trusted by its name) of at most 5 MB; its
    width and height are recorded so pages can reserve its space. What is stored is a fresh copy without the file's
    metadata (``_clean_copy``)."""
    _require_operator(actor, listing.organization_id, "photos")
    alt_text = (alt_text or "").strip()
    if not alt_text:
        raise Invalid(_("Describe what the photo shows, for people who cannot see it."), field="alt_text")
    if len(alt_text) > 200:
        raise Invalid(_("At most 200 characters."), field="alt_text")
    kind, _width, _height = _read_image(image)
    cleaned, width, height = _clean_copy(image, kind)
    listing = HouseListing.objects.select_for_update().get(pk=listing.pk)  # positions are handed out in order
    if listing.photos.count() >= MAX_PHOTOS:
        raise Conflict(
            _("A listing holds at most %(count)s photos: remove one first.") % {"count": MAX_PHOTOS}, field="image"
        )
    last = listing.photos.aggregate(last=Max("position"))["last"]
    photo = ListingPhoto(listing=listing, alt_text=alt_text, width=width, height=height)
    photo.position = 0 if last is None else last + 1
    # The stored name is ours, not the uploader's (which may hold anything).
    photo.image.save(f"{listing.slug}.{PHOTO_FORMATS[kind]}", cleaned, save=False)
    name = photo.image.name
    try:
        photo.save()
    except Exception:
        photo.image.storage.delete(name)
        raise
    _touch(listing, actor)
    return photo


@transaction.atomic
def listing_photo_remove(*, actor: Membership, photo: ListingPhoto) -> None:
    """Removes a photo; its file is deleted once the removal is committed."""
    _require_operator(actor, photo.listing.organization_id, "photos")
    listing = HouseListing.objects.select_for_update().get(pk=photo.listing_id)
    storage, name = photo.image.storage, photo.image.name
    photo.delete()
    _renumber(listing)
    _touch(listing, actor)
    transaction.on_commit(lambda: storage.delete(name))


def _renumber(listing: HouseListing, order: list[ListingPhoto] | None = None) -> None:
    photos = order if order is not None else list(listing.photos.order_by("position", "pk"))
    for position, photo in enumerate(photos):
        if photo.position != position:
            photo.position = position
            photo.save(update_fields=["position"])


@transaction.atomic
def listing_photo_move(*, actor: Membership, photo: ListingPhoto, direction: str) -> None:
    """Moves a photo one place ``"up"`` (shown earlier) or ``"down"``; the first photo is the one shown first."""
    _require_operator(actor, photo.listing.organization_id, "photos")
    if direction not in ("up", "down"):
        raise Invalid(_("Move a photo up or down."), field="direction")
    listing = HouseListing.objects.select_for_update().get(pk=photo.listing_id)  # two moves at once keep an order
    photos = list(listing.photos.order_by("position", "pk"))
    index = next(i for i, found in enumerate(photos) if found.pk == photo.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(photos):
        return  # already first (or last): nothing to move
    photos[index], photos[other] = photos[other], photos[index]
    _renumber(listing, photos)
    _touch(listing, actor)
