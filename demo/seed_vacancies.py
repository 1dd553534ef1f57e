"""Filling beds demo: two houses of the first organization published, each with a summary, ages, what the rent
includes, a refund policy, its neighbourhood, every fee beyond rent and deposit, and photos (drawn here with Pillow:
a demo has no real photos to show). Written through the listing services, so the demo obeys the editor's rules
(publishing needs the rent set: the billing demo runs before this one)."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from accounts.models import Organization, Role
from houses.models import House
from vacancies.models import HouseListing
from vacancies.services.listings import listing_fee_add, listing_photo_add, listing_save

WIDTH, HEIGHT = 960, 640

LISTINGS = {
    "Maple House": {
        "listing": {
            "slug": "maple-house",
            "summary": (
                "A calm, structured home for men in early recovery, two blocks from the Route 4 bus. Twelve beds "
                "in four shared rooms, a house manager on site, weekly house meetings and a big back yard. Most "
                "residents work or study during the day; we help newcomers find both."
            ),
            "min_age": 18,
            "max_age": None,
            "accepts_moud": True,
            "included": "Utilities and Wi-Fi\nLaundry machines\nLinens and towels\nShared groceries for staples\n"
            "Weekly house meeting and peer support",
            "refund_policy": (
                "The deposit is refunded within 14 days of move-out, less any unpaid rent or damage. Rent paid ahead "
                "for days after move-out is refunded in full. The application and drug-testing fees are not refunded."
            ),
            "neighbourhood": "Near Washington Park, on the Route 4 bus line",
            "show_street_address": False,
            "contact_phone": "(217) 555-0142",
            "contact_email": "beds@secondwind.example.org",
        },
        "fees": [
            ("Application fee", "25.00", "once", False, "Paid with the application; covers the intake interview"),
            ("Drug testing", "15.00", "per_use", False, "Random and scheduled urine tests"),
            ("Key deposit", "20.00", "once", True, "Refunded at move-out when both keys come back"),
        ],
        "photos": [
            ("house", "The front of Maple House: a two-storey white house with a porch, a maple tree and a lawn"),
            ("bedroom", "A shared bedroom with three made beds, a window and a reading lamp on each nightstand"),
            ("kitchen", "The kitchen: a long table with six chairs, a stove and open shelves of dishes"),
        ],
    },
    "Willow House": {
        "listing": {
            "slug": "willow-house",
            "summary": (
                "A supportive home for women rebuilding their lives, with a peer mentor living in and a quiet "
                "garden. Ten beds in four rooms. Women on medication for opioid use disorder are welcome, and we "
                "work with local treatment programmes and family court."
            ),
            "min_age": 21,
            "max_age": 65,
            "accepts_moud": True,
            "included": "Utilities and Wi-Fi\nLaundry machines\nLinens\nA monthly bus pass\nPeer mentor on site",
            "refund_policy": (
                "The deposit is refunded within 10 days of move-out, less unpaid rent. Weekly rent is not prorated "
                "for a partial week. The application and drug-testing fees are not refunded."
            ),
            "neighbourhood": "East side, a short walk from Memorial Hospital",
            "show_street_address": False,
            "contact_phone": "(217) 555-0177",
            "contact_email": "willow@secondwind.example.org",
        },
        "fees": [
            ("Application fee", "20.00", "once", False, "Waived for referrals from family court"),
            ("Drug testing", "10.00", "weekly", False, "One scheduled test a week; random tests included"),
            ("Key deposit", "25.00", "once", True, "Refunded at move-out when the key and fob come back"),
        ],
        "photos": [
            ("house", "The front of Willow House: a yellow house with a red door, a willow tree and a flower bed"),
            ("bedroom", "A bright double bedroom with two beds under a wide window and a shared dresser"),
            ("garden", "The back garden: raised vegetable beds, a bench and a picnic table under a tree"),
        ],
    },
}

HOUSE_COLOURS = {"Maple House": "#f4f1ea", "Willow House": "#f2d974"}
DOOR_COLOURS = {"Maple House": "#2f5d50", "Willow House": "#b3261e"}


def _house(draw: ImageDraw.ImageDraw, name: str) -> None:
    draw.rectangle([0, 0, WIDTH, 420], fill="#bfe3f5")  # sky
    draw.rectangle([0, 420, WIDTH, HEIGHT], fill="#7cb66a")  # lawn
    draw.rectangle([250, 220, 700, 470], fill=HOUSE_COLOURS[name], outline="#444", width=3)
    draw.polygon([(220, 230), (475, 90), (730, 230)], fill="#7a4b3a", outline="#444")
    for x in (290, 400, 560):
        draw.rectangle([x, 260, x + 80, 330], fill="#dff1fb", outline="#444", width=3)
    draw.rectangle([445, 360, 515, 470], fill=DOOR_COLOURS[name], outline="#444", width=3)
    draw.rectangle([230, 470, 720, 490], fill="#cfc8ba")  # porch step
    draw.rectangle([800, 300, 830, 470], fill="#6b4a2b")  # tree trunk
    draw.ellipse([720, 170, 910, 340], fill="#3f8a3a")


def _bedroom(draw: ImageDraw.ImageDraw, beds: int) -> None:
    draw.rectangle([0, 0, WIDTH, 430], fill="#efe6d8")  # wall
    draw.rectangle([0, 430, WIDTH, HEIGHT], fill="#b08a5b")  # floor
    draw.rectangle([380, 70, 580, 250], fill="#cfe9f7", outline="#6b5a48", width=6)
    draw.line([480, 70, 480, 250], fill="#6b5a48", width=4)
    step = WIDTH // beds
    for index in range(beds):
        left = index * step + 40
        draw.rectangle([left, 380, left + step - 110, 520], fill="#3d5a80", outline="#26384f", width=3)
        draw.rectangle([left + 10, 390, left + 90, 430], fill="#ffffff")  # pillow
        draw.rectangle([left + step - 100, 430, left + step - 60, 520], fill="#8a6a47")  # nightstand
        draw.ellipse([left + step - 98, 380, left + step - 62, 425], fill="#f7d774")  # lamp


def _kitchen(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle([0, 0, WIDTH, 400], fill="#e9f0ea")
    draw.rectangle([0, 400, WIDTH, HEIGHT], fill="#c9b79c")
    draw.rectangle([40, 250, 420, 400], fill="#ffffff", outline="#777", width=3)  # counter
    draw.rectangle([120, 260, 220, 390], fill="#444")  # stove
    for y in (90, 160):
        draw.rectangle([40, y, 420, y + 12], fill="#8a6a47")  # shelves
        for x in range(60, 400, 50):
            draw.ellipse([x, y - 30, x + 30, y], fill="#f4f4f4", outline="#999")
    draw.rectangle([500, 430, 900, 470], fill="#8a6a47")  # table
    for x in (520, 860):
        draw.rectangle([x, 470, x + 20, 590], fill="#6b4a2b")
    for x in (520, 640, 760):
        draw.rectangle([x, 360, x + 60, 430], fill="#a0522d")  # chair backs


def _garden(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle([0, 0, WIDTH, 360], fill="#cde8f6")
    draw.rectangle([0, 360, WIDTH, HEIGHT], fill="#86bf6f")
    for x in (60, 300):
        draw.rectangle([x, 430, x + 200, 520], fill="#7a5230", outline="#4d3219", width=4)
        for plant in range(x + 20, x + 190, 40):
            draw.ellipse([plant, 400, plant + 30, 440], fill="#2f7d32")
    draw.rectangle([620, 470, 880, 495], fill="#8a6a47")  # picnic table
    draw.rectangle([640, 495, 660, 580], fill="#6b4a2b")
    draw.rectangle([840, 495, 860, 580], fill="#6b4a2b")
    draw.rectangle([700, 250, 730, 470], fill="#6b4a2b")
    draw.ellipse([600, 110, 830, 300], fill="#3f8a3a")


def illustration(house: str, kind: str) -> bytes:
    """A simple drawing of ``kind`` (house, bedroom, kitchen, garden) as a PNG."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    draw = ImageDraw.Draw(image)
    if kind == "house":
        _house(draw, house)
    elif kind == "bedroom":
        _bedroom(draw, 3 if house == "Maple House" else 2)
    elif kind == "kitchen":
        _kitchen(draw)
    else:
        _garden(draw)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def seed(organization: Organization) -> None:
    """Publishes Maple House and Willow House (once: a second run changes nothing)."""
    operator = organization.memberships.filter(role=Role.OPERATOR).order_by("pk").first()
    for name, spec in LISTINGS.items():
        house = House.objects.filter(organization=organization, name=name).first()
        if house is None or HouseListing.objects.filter(house=house).exists():
            continue
        listing = listing_save(actor=operator, house=house, published=True, **spec["listing"])
        for fee_name, amount, frequency, refundable, note in spec["fees"]:
            listing_fee_add(
                actor=operator,
                listing=listing,
                name=fee_name,
                amount=Decimal(amount),
                frequency=frequency,
                refundable=refundable,
                note=note,
            )
        for kind, description in spec["photos"]:
            upload = SimpleUploadedFile(f"{kind}.png", illustration(name, kind), content_type="image/png")
            listing_photo_add(actor=operator, listing=listing, image=upload, alt_text=description)
