"""What the feed and listing tests share: a house's rent terms, a published listing, a real little image."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from billing.models import HouseBillingPolicy, LateFeeKind, RentPeriod
from tests.factories import operator_of
from vacancies.services.listings import listing_fee_add, listing_save


def make_policy(house, **overrides) -> HouseBillingPolicy:
    values = {
        "organization": house.organization,
        "house": house,
        "rent_amount": Decimal("650.00"),
        "rent_period": RentPeriod.MONTHLY,
        "rent_due_day": 1,
        "deposit_amount": Decimal("300.00"),
        "late_fee_kind": LateFeeKind.NONE,
    }
    values.update(overrides)
    return HouseBillingPolicy.objects.create(**values)


def publish(house, *, fees=(), policy=True, **fields):
    """``house`` published through the listing service (its rent set first unless ``policy`` is False)."""
    if policy and not HouseBillingPolicy.objects.filter(house=house).exists():
        make_policy(house)
    actor = operator_of(house.organization)
    fields.setdefault("summary", f"A quiet house: {house.name}.")
    fields.setdefault("neighbourhood", "Near the park")
    fields.setdefault("refund_policy", "The deposit is refunded within 14 days of move-out, less unpaid rent.")
    listing = listing_save(actor=actor, house=house, published=True, **fields)
    for name, amount in fees:
        listing_fee_add(actor=actor, listing=listing, name=name, amount=Decimal(amount), frequency="once")
    return listing


def image_file(name="room.png", *, size=(40, 30), kind="PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#3d5a80").save(buffer, format=kind)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{kind.lower()}")
