"""The vacancy feed in Open Referral's Human Services Data Specification (HSDS 3.0, with the ``service_capacity``
of 3.1): each published house a ``service`` with its organization, its location, what it costs (``cost_options``)
and its beds (``capacities``, unit "bed"), listed in the paginated ``Page`` the HSDS API answers with. The schema
files the tests validate against are in tests/vacancies/fixtures/hsds/.

Ids are UUIDs derived (uuid5) from our own keys, so the same house keeps the same ids in every answer."""

import uuid
from decimal import Decimal

from .feed import Entry, Filters, late_fee, page_of, public_url, street_address
from .selectors import HORIZON_DAYS

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://hearth.example/hsds/")
BED_UNIT = {"id": str(uuid.uuid5(NAMESPACE, "unit:bed")), "name": "bed", "identifier": "bed"}
COUNTRY = "US"


def stable_id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


def number(amount: Decimal) -> float | int:
    """HSDS amounts are JSON numbers. Converted at the very edge, from a two-place Decimal: a whole amount is an
    integer, any other reads back as the same cents."""
    amount = amount.quantize(Decimal("0.01"))
    return int(amount) if amount == amount.to_integral_value() else float(amount)


PERIODS = {"weekly": "a week", "biweekly": "every two weeks", "monthly": "a month"}
FREQUENCIES = {"once": "one time", "weekly": "each week", "monthly": "each month", "per_use": "each time"}


def _cost_options(entry: Entry, service_id: str) -> list[dict]:
    listing, policy, currency = entry.listing, entry.policy, entry.organization.currency
    options = []
    if policy is not None:
        period = PERIODS.get(policy.rent_period, policy.rent_period)
        options.append({
            "id": stable_id("listing", listing.pk, "rent"),
            "service_id": service_id,
            "option": "Rent",
            "currency": currency,
            "amount": number(policy.rent_amount),
            "amount_description": f"Rent, {period}",
        })  # fmt: skip
        if policy.deposit_amount > 0:
            options.append({
                "id": stable_id("listing", listing.pk, "deposit"),
                "service_id": service_id,
                "option": "Deposit",
                "currency": currency,
                "amount": number(policy.deposit_amount),
                "amount_description": "Deposit, one time, at move-in",
            })  # fmt: skip
        late = late_fee(policy)
        if late is not None:
            option = {
                "id": stable_id("listing", listing.pk, "late-fee"),
                "service_id": service_id,
                "option": "Late fee",
                "currency": currency,
                "amount_description": f"Late fee: {late.words(currency)}",
            }
            if late.amount is not None:  # a percent has no one amount: the description says it
                option["amount"] = number(late.amount)
            options.append(option)
    for fee in listing.fees.all():
        described = f"{fee.name}, {FREQUENCIES.get(fee.frequency, fee.frequency)}"
        described += ", refundable" if fee.refundable else ", not refundable"
        if fee.note:
            described += f" ({fee.note})"
        options.append({
            "id": stable_id("fee", fee.pk),
            "service_id": service_id,
            "option": fee.name,
            "currency": currency,
            "amount": number(fee.amount),
            "amount_description": described,
        })  # fmt: skip
    return options


def _location(entry: Entry, service_id: str) -> dict:
    listing, house = entry.listing, entry.house
    place = ", ".join(part for part in (house.city, house.state) if part)
    location = {
        "id": stable_id("listing", listing.pk, "location"),
        "location_type": "physical",
        "organization_id": stable_id("organization", entry.organization.pk),
        "name": house.name,
        "description": " · ".join(part for part in (listing.neighbourhood, place) if part),
    }
    street = street_address(listing)
    # HSDS needs a whole address (street, city, state, postal code) or none: a published street goes out whole.
    if street and house.address_line1 and house.city and house.state and house.postal_code:
        location["addresses"] = [{
            "id": stable_id("listing", listing.pk, "address"),
            "location_id": location["id"],
            "address_1": house.address_line1,
            **({"address_2": house.address_line2} if house.address_line2 else {}),
            "city": house.city,
            "state_province": house.state,
            "postal_code": house.postal_code,
            "country": COUNTRY,
            "address_type": "physical",
        }]  # fmt: skip
    return {
        "id": stable_id("listing", listing.pk, "service_at_location"),
        "service_id": service_id,
        "location_id": location["id"],
        "location": location,
    }


def _eligibility(entry: Entry) -> str:
    listing, house = entry.listing, entry.house
    who = {"men": "Men", "women": "Women", "coed": "Adults of any gender"}.get(house.gender, "Adults")
    ages = f"aged {listing.min_age} to {listing.max_age}" if listing.max_age else f"aged {listing.min_age} and over"
    moud = (
        "Residents on medication for opioid use disorder are welcome."
        if listing.accepts_moud
        else "Does not accept residents on medication for opioid use disorder."
    )
    return f"{who} {ages} in recovery. {moud}"


def _capacity(entry: Entry, service_id: str) -> dict:
    vacancy = entry.vacancy
    soon = ", ".join(f"{beds} on {night.isoformat()}" for night, beds in vacancy.opening_dates)
    described = f"Beds open tonight. Expected to open within {HORIZON_DAYS} days: {soon or 'none'}."
    return {
        "id": stable_id("listing", entry.listing.pk, "capacity", "bed"),
        "service_id": service_id,
        "unit": BED_UNIT,
        "unit_id": BED_UNIT["id"],
        "available": vacancy.open_now,
        "maximum": vacancy.in_service,
        "description": described,
        "updated": vacancy.updated.isoformat(),
    }


def service(entry: Entry) -> dict:
    """One published house as an HSDS service."""
    listing, house, organization = entry.listing, entry.house, entry.organization
    service_id = stable_id("listing", listing.pk)
    organization_id = stable_id("organization", organization.pk)
    level = f" {house.get_narr_level_display()} (NARR)." if house.narr_level else ""
    found = {
        "id": service_id,
        "organization_id": organization_id,
        "name": house.name,
        "alternate_name": f"{house.name}, {organization.name}",
        "description": listing.summary or f"A sober-living house run by {organization.name}.",
        "url": public_url(listing),
        "status": "active",
        "application_process": f"Apply online at {public_url(listing)}",
        "eligibility_description": _eligibility(entry),
        "minimum_age": listing.min_age,
        "fees_description": listing.refund_policy,
        "accreditations": level.strip(),
        "last_modified": listing.updated_at.isoformat(),
        "organization": {
            "id": organization_id,
            "name": organization.name,
            "description": f"{organization.name} runs sober-living houses (recovery residences).",
        },
        "service_at_locations": [_location(entry, service_id)],
        "cost_options": _cost_options(entry, service_id),
        "capacities": [_capacity(entry, service_id)],
    }
    if listing.max_age is not None:
        found["maximum_age"] = listing.max_age
    if listing.contact_email:
        found["email"] = listing.contact_email
    if listing.contact_phone:
        found["phones"] = [{"id": stable_id("listing", listing.pk, "phone"), "number": listing.contact_phone}]
    return {name: value for name, value in found.items() if value != ""}


def services_page(filters: Filters) -> dict:
    """The HSDS API's paginated ``Page`` of services (openapi.json ``/services``)."""
    found, total = page_of(filters)
    pages = max(1, -(-total // filters.per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": filters.page,
        "size": len(found),
        "first_page": filters.page == 1,
        "last_page": filters.page >= pages,
        "empty": not found,
        "contents": [service(entry) for entry in found],
    }
