"""A year of certification evidence for the demo: documents, monthly inspections, quarterly drills.

Maple House has everything in order; Willow House's liability insurance lapsed; Harbor House missed its last drill
and its naloxone kit expired. Dates are relative to the organization's today; a second run changes nothing.
"""

import io
import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Organization, Role
from compliance.models import Document, DocumentKind, Inspection, InspectionLine, SafetyEquipment, SafetyPolicy
from compliance.services import documents as document_services
from compliance.services import drills as drill_services
from compliance.services import inspections as inspection_services
from compliance.services import safety as safety_services
from houses.models import House


def minimal_pdf(text: str) -> bytes:
    """A small valid one-page PDF showing ``text`` (ASCII), written by hand so the demo needs no PDF engine."""
    safe = "".join(c for c in text if 32 <= ord(c) < 127).replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 720 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# kind, title, issued (days ago), expires (days from today, None: never)
ORGANIZATION_DOCUMENTS = [
    (DocumentKind.BUSINESS_LICENSE, "Articles of organization (LLC)", 1100, None),
    (DocumentKind.MISSION_VISION, "Mission and vision statement", 400, None),
    (DocumentKind.CODE_OF_ETHICS, "Code of ethics for staff and peer leaders", 380, None),
    (DocumentKind.RESIDENT_HANDBOOK, "Resident handbook: rights and requirements", 150, None),
    (DocumentKind.GRIEVANCE_POLICY, "Grievance policy", 150, None),
    (DocumentKind.DRUG_TESTING_POLICY, "Drug-testing policy", 150, None),
    (DocumentKind.REFUND_POLICY, "Refund policy", 150, None),
    (DocumentKind.FEE_SCHEDULE, "Fee schedule", 60, None),
]
# Per house profile: Maple is in order, Willow's insurance lapsed, Harbor's drill is overdue and its naloxone expired.
PROFILES = {
    0: {"insurance_expires": 200, "naloxone_expires": 300, "drills": [350, 260, 170, 80], "gas": False},
    1: {"insurance_expires": -20, "naloxone_expires": 240, "drills": [340, 250, 160, 70], "gas": False},
    2: {"insurance_expires": 150, "naloxone_expires": -5, "drills": [350, 260, 130], "gas": True},
}
# (house index, months ago, line item, room name or None, what was wrong, days until fixed or None: still open)
FAILURES = [
    (0, 8, InspectionLine.Item.SMOKE_BEDROOM, "Room 2", "Chirping: battery low", 2),
    (0, 3, InspectionLine.Item.EXITS_CLEAR, None, "Laundry basket blocking the back stairs", 0),
    (1, 6, InspectionLine.Item.EXITS_CLEAR, None, "Boxes stacked in the back hallway", 1),
    (1, 2, InspectionLine.Item.FIRST_AID_KIT, None, "Out of bandages and gloves", 3),
    (2, 5, InspectionLine.Item.CO_DETECTOR, None, "No reading on the test button", 4),
    (2, 0, InspectionLine.Item.FIRST_AID_KIT, None, "Kit missing from the kitchen cabinet", None),
]
LAST_INSPECTION_DAYS_AGO = 12
EXTINGUISHER_SERVICES = [565, 200]  # days ago: last year's service and this year's


def _file(title: str):
    return SimpleUploadedFile(f"{title.lower().replace(' ', '-')[:40]}.pdf", minimal_pdf(title), "application/pdf")


def floor_plan_png(house_name: str) -> bytes:
    """A drawn evacuation plan (PNG): rooms, the exits in green and the way out, so the evidence pack has an image
    to place on a page of its own."""
    from PIL import Image, ImageDraw  # Pillow comes with WeasyPrint

    image = Image.new("RGB", (900, 600), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 60, 860, 560), outline="black", width=6)
    for x in (300, 580):
        draw.line((x, 60, x, 380), fill="black", width=4)
    draw.line((40, 380, 860, 380), fill="black", width=4)
    draw.rectangle((420, 548, 520, 572), fill="#1a7f37")  # front door
    draw.rectangle((848, 440, 872, 520), fill="#1a7f37")  # back door
    draw.line((170, 220, 170, 470, 470, 470, 470, 540), fill="#b3261e", width=5)
    draw.text((40, 20), f"Evacuation plan, {house_name}: exits in green, the way out in red", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _upload(actor, house, kind, title, today, issued_ago, expires_in):
    document_services.document_upload(
        actor=actor, house=house, kind=kind, title=title, file=_file(title),
        issued_on=today - timedelta(days=issued_ago),
        expires_on=today + timedelta(days=expires_in) if expires_in is not None else None,
    )  # fmt: skip


def _house_documents(actor, house, today, profile):
    insurer = f"General liability policy, {house.name}"
    # Last year's policy first, so the register shows a superseded version.
    _upload(actor, house, DocumentKind.LIABILITY_INSURANCE, f"{insurer} (prior year)", today, 365 + 180, -180 + 1)
    _upload(actor, house, DocumentKind.LIABILITY_INSURANCE, insurer, today, 180, profile["insurance_expires"])
    _upload(
        actor, house, DocumentKind.OWNER_PERMISSION, f"Owner's letter of permission, {house.name}", today, 700, None
    )
    _upload(
        actor,
        house,
        DocumentKind.OCCUPANCY_CERTIFICATE,
        f"Fire marshal inspection report, {house.name}",
        today,
        100,
        None,
    )
    _upload(
        actor,
        house,
        DocumentKind.EMERGENCY_PROCEDURES,
        f"Emergency and overdose procedures, {house.name}",
        today,
        90,
        None,
    )
    # A photographed page: the evidence pack places images on pages of their own.
    document_services.document_upload(
        actor=actor, house=house, kind=DocumentKind.OTHER, title=f"Evacuation floor plan, {house.name}",
        file=SimpleUploadedFile("floor-plan.png", floor_plan_png(house.name), "image/png"),
        issued_on=today - timedelta(days=90),
    )  # fmt: skip


def _inspections(actor, house, index, today, rng):
    failures = {(months, item, room): (note, fix) for h, months, item, room, note, fix in FAILURES if h == index}
    for months_ago in range(11, -1, -1):
        inspected_on = today - timedelta(days=LAST_INSPECTION_DAYS_AGO + 30 * months_ago)
        serviced = max(
            today - timedelta(days=d) for d in EXTINGUISHER_SERVICES if today - timedelta(days=d) <= inspected_on
        )
        inspection = inspection_services.inspection_start(actor=actor, house=house, inspected_on=inspected_on)
        for line in inspection.lines.select_related("room").order_by("position"):
            failure = failures.get((months_ago, line.item, line.room.name if line.room else None))
            observed = {}
            if line.item == InspectionLine.Item.FIRE_EXTINGUISHER:
                observed = {"last_serviced_on": serviced}
            if failure is None:
                note = rng.choice(["", "", "", "Tested with the button", "Checked"])
                inspection_services.inspection_line_record(actor=actor, line=line, result="pass", note=note, **observed)
                continue
            note, fix_days = failure
            due_on = today + timedelta(days=3) if fix_days is None else None
            inspection_services.inspection_line_record(
                actor=actor, line=line, result="fail", note=note, due_on=due_on, **observed
            )
            if fix_days is not None:
                action = line.corrective_actions.get()
                inspection_services.corrective_action_fix(
                    actor=actor,
                    action=action,
                    note="Fixed and re-checked",
                    fixed_on=inspected_on + timedelta(days=fix_days),
                )
        inspection_services.inspection_complete(actor=actor, inspection=inspection, notes="Monthly walk-through.")


def _drills(actor, house, today, days_ago, rng):
    for days in days_ago:
        held = datetime.combine(today - timedelta(days=days), time(19, 30), tzinfo=house.organization.tzinfo)
        drill_services.drill_log(
            actor=actor, house=house, held_at=held, residents_present=rng.randint(6, 11),
            evacuation_minutes=Decimal(rng.choice(["1.5", "2.0", "2.5", "3.0"])),
            notes=rng.choice(["Night drill after the house meeting.", "Smoke alarm triggered by the manager.", ""]),
        )  # fmt: skip


def seed(organization: Organization, *, light: bool = False) -> None:
    """Certification evidence for the organization's first three houses (``light``: organization papers only)."""
    if Document.objects.filter(organization=organization).exists():
        return
    operator = organization.memberships.filter(role=Role.OPERATOR).select_related("user", "organization").first()
    manager = organization.memberships.filter(role=Role.MANAGER).select_related("user", "organization").first()
    today = organization.today()
    rng = random.Random(f"certification-{organization.slug}")
    kinds = (
        ORGANIZATION_DOCUMENTS[:1] + ORGANIZATION_DOCUMENTS[2:3] + ORGANIZATION_DOCUMENTS[-1:]
        if light
        else ORGANIZATION_DOCUMENTS
    )
    for kind, title, issued_ago, expires_in in kinds:
        _upload(operator, None, kind, title, today, issued_ago, expires_in)
    if light:
        return
    houses = list(House.objects.filter(organization=organization).select_related("organization").order_by("pk"))[:3]
    for index, house in enumerate(houses):
        profile = PROFILES[index]
        actor = manager if manager and manager.houses.filter(pk=house.pk).exists() else operator
        if profile["gas"]:
            SafetyPolicy.objects.create(organization=organization, house=house, has_gas_appliances=True)
        _house_documents(operator, house, today, profile)
        safety_services.safety_equipment_add(
            actor=operator, house=house, kind=SafetyEquipment.Kind.FIRE_EXTINGUISHER, location="Kitchen, back door",
            last_serviced_on=today - timedelta(days=EXTINGUISHER_SERVICES[0]),
        )  # fmt: skip
        safety_services.safety_equipment_add(
            actor=operator, house=house, kind=SafetyEquipment.Kind.NALOXONE_KIT, location="Living room shelf",
            quantity=2, expires_on=today + timedelta(days=profile["naloxone_expires"]),
        )  # fmt: skip
        _inspections(actor, house, index, today, rng)
        _drills(actor, house, today, profile["drills"], rng)
    assert not Inspection.objects.in_progress().filter(house__in=houses).exists()
