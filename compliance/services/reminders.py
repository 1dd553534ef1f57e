"""The daily certification reminder: one digest per person of what lapses soon and what is overdue.

Each item is reminded once per threshold: 30 days before it lapses, 7 days before, and once lapsed or overdue. A
``ReminderSent`` row is inserted (committed) for an item before any e-mail is sent; its unique key makes a second
run, or one running at the same moment, skip that item. An e-mail that then fails to go out is not retried: a
missed reminder is better than a flood of repeats, and the certification page always shows the truth.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery

from accounts.calendar import local_date
from accounts.models import Membership, Organization, Role
from accounts.tenancy import organization_clock
from houses.models import House

from ..models import CorrectiveAction, Document, Inspection, ReminderSent, SafetyEquipment, SafetyPolicy

logger = logging.getLogger(__name__)

ItemType = ReminderSent.ItemType
WARNINGS = (7, 30)


@dataclass(frozen=True)
class Due:
    """Something in a house that lapses or is overdue, and the threshold reached today."""

    house: House | None  # None: an organization-wide document, reminded to operators only
    item_type: str
    item_id: int
    due_on: date | None
    threshold: str
    summary: str

    @property
    def key(self) -> str:
        return f"{self.threshold}:{self.due_on.isoformat() if self.due_on else 'never'}"


def _lapse_threshold(due_on: date, on: date) -> str | None:
    if due_on < on:
        return "expired"
    days = (due_on - on).days
    for limit in WARNINGS:
        if days <= limit:
            return str(limit)
    return None


def _when(due_on: date, on: date) -> str:
    days = (due_on - on).days
    if days < 0:
        return f"lapsed on {due_on:%b %-d, %Y}"
    if days == 0:
        return "lapses today"
    return f"lapses on {due_on:%b %-d, %Y} (in {days} day{'s' if days != 1 else ''})"


def _lapsing(organization: Organization, houses: dict[int, House], on: date) -> list[Due]:
    horizon = on + timedelta(days=max(WARNINGS))
    found = []
    documents = (
        Document.objects.current()
        .filter(organization=organization, expires_on__isnull=False, expires_on__lte=horizon)
        .select_related("house")
    )
    for document in documents:
        if document.house_id is not None and document.house_id not in houses:
            continue  # a closed house's papers no longer matter
        found.append(
            Due(document.house, ItemType.DOCUMENT, document.pk, document.expires_on,
                _lapse_threshold(document.expires_on, on),
                f"{document.title} ({document.get_kind_display().lower()}) {_when(document.expires_on, on)}")
        )  # fmt: skip
    equipment = SafetyEquipment.objects.active().filter(house__in=list(houses))
    for item in equipment:
        due_on = item.due_on
        if due_on is None or due_on > horizon:
            continue
        if item.kind == SafetyEquipment.Kind.NALOXONE_KIT:
            found.append(
                Due(houses[item.house_id], ItemType.NALOXONE_KIT, item.pk, due_on, _lapse_threshold(due_on, on),
                    f"Naloxone kit at {item.location} {_when(due_on, on)}")
            )  # fmt: skip
        else:
            verb = "was due" if due_on < on else "is due"
            found.append(
                Due(houses[item.house_id], ItemType.EXTINGUISHER_SERVICE, item.pk, due_on,
                    _lapse_threshold(due_on, on), f"Extinguisher at {item.location}: annual service {verb} "
                    f"{due_on:%b %-d, %Y}")
            )  # fmt: skip
    return found


def _overdue(organization: Organization, houses: dict[int, House], on: date) -> list[Due]:
    found = []
    policies = {policy.house_id: policy for policy in SafetyPolicy.objects.filter(house__in=list(houses))}
    last_inspection = Inspection.objects.completed().filter(house=OuterRef("pk")).order_by("-inspected_on")
    dated = (
        House.objects.filter(pk__in=list(houses))
        .annotate(
            last_inspected_on=Subquery(last_inspection.values("inspected_on")[:1]),
            last_drill_at=Max("drills__held_at"),
        )
        .values("pk", "last_inspected_on", "last_drill_at")
    )
    for row in dated:
        house = houses[row["pk"]]
        policy = policies.get(house.pk) or SafetyPolicy.default_for(house)
        if row["last_inspected_on"] is None:
            found.append(Due(house, ItemType.INSPECTION_DUE, house.pk, None, "overdue", "No safety inspection yet"))
        else:
            due_on = row["last_inspected_on"] + timedelta(days=policy.inspection_interval_days)
            if due_on < on:
                found.append(
                    Due(house, ItemType.INSPECTION_DUE, house.pk, due_on, "overdue",
                        f"Safety inspection overdue since {due_on:%b %-d, %Y}")
                )  # fmt: skip
        if not policy.needs_drills(house.narr_level):
            continue
        if row["last_drill_at"] is None:
            found.append(Due(house, ItemType.DRILL_DUE, house.pk, None, "overdue", "No evacuation drill logged yet"))
        else:
            held_on = local_date(row["last_drill_at"], organization)
            due_on = held_on + timedelta(days=policy.drill_interval_days)
            if due_on < on:
                found.append(
                    Due(house, ItemType.DRILL_DUE, house.pk, due_on, "overdue",
                        f"Evacuation drill overdue since {due_on:%b %-d, %Y}")
                )  # fmt: skip
    for action in CorrectiveAction.objects.overdue(on).filter(house__in=list(houses)):
        found.append(
            Due(houses[action.house_id], ItemType.CORRECTIVE_ACTION, action.pk, action.due_on, "overdue",
                f"Corrective action overdue since {action.due_on:%b %-d, %Y}: {action.description[:160]}")
        )  # fmt: skip
    return found


def certification_items_due(*, organization: Organization, on: date) -> list[Due]:
    """What in the organization's active houses lapses within 30 days or is lapsed or overdue on ``on``."""
    houses = {house.pk: house for house in House.objects.filter(organization=organization, status="active")}
    if not houses:
        return []
    return _lapsing(organization, houses, on) + _overdue(organization, houses, on)


def _claim(organization: Organization, due: Due, on: date) -> bool:
    """Inserts the item's reminder row; False when this item and threshold were already reminded."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                organization=organization, house=due.house, item_type=due.item_type, item_id=due.item_id,
                threshold=due.key, due_on=due.due_on or on, summary=due.summary[:300],
            )  # fmt: skip
    except IntegrityError:
        return False
    return True


def _recipients(organization: Organization, claimed: list[Due]) -> dict[Membership, list[Due]]:
    """Operators get every claimed item; each house's managers get that house's."""
    digests = defaultdict(list)
    members = Membership.objects.active().filter(organization=organization).select_related("user")
    operators = [m for m in members if m.role == Role.OPERATOR]
    managers = {m.pk: m for m in members if m.role == Role.MANAGER}
    runs = defaultdict(set)
    for house_id, membership_id in House.staff.through.objects.filter(membership_id__in=list(managers)).values_list(
        "house_id", "membership_id"
    ):
        runs[house_id].add(membership_id)
    for due in claimed:
        for operator in operators:
            digests[operator].append(due)
        for membership_id in sorted(runs.get(due.house.pk, ()) if due.house else ()):
            digests[managers[membership_id]].append(due)
    return digests


def _digest_body(membership: Membership, items: list[Due], on: date) -> str:
    by_house = defaultdict(list)
    for due in items:
        by_house[due.house.name if due.house else "Whole organization"].append(due)
    lines = [
        f"Hello {membership.user.get_short_name()},",
        "",
        f"Certification items that need attention on {on:%B %-d, %Y}:",
    ]
    for house_name in sorted(by_house):
        lines += ["", house_name]
        overdue = [d for d in by_house[house_name] if d.threshold in ("overdue", "expired")]
        soon = [d for d in by_house[house_name] if d not in overdue]
        lines += [f"  - OVERDUE: {d.summary}" for d in overdue]
        lines += [f"  - Soon: {d.summary}" for d in sorted(soon, key=lambda d: d.due_on or on)]
    lines += ["", "Each item is mentioned once per threshold (30 days, 7 days, lapsed). The certification page in",
              "Hearth always shows where each house stands.", "", "Hearth"]  # fmt: skip
    return "\n".join(lines)


def _remind(organization: Organization, day: date) -> int:
    """Claims the organization's items due on ``day`` and e-mails their digests; returns the e-mails sent."""
    claimed = [
        due for due in certification_items_due(organization=organization, on=day) if _claim(organization, due, day)
    ]
    if not claimed:
        return 0
    sent = 0
    for membership, items in _recipients(organization, claimed).items():
        if not membership.user.email:
            continue
        subject = (
            f"Certification: {len(items)} item{'s' if len(items) != 1 else ''} need attention ({organization.name})"
        )
        try:
            send_mail(subject, _digest_body(membership, items, day), None, [membership.user.email])
        except Exception:  # one bad address must not stop the other digests
            logger.exception("Certification digest to membership %s failed", membership.pk)
            continue
        sent += 1
    return sent


def certification_reminders_send(*, on: date | None = None) -> int:
    """For every organization: claims each item that lapses within 30 or 7 days or is lapsed/overdue and was not
    reminded at that threshold yet, then e-mails one digest to each operator and to each claimed house's managers.
    ``on`` defaults to each organization's own today. Returns the number of e-mails sent; running it again the
    same day sends nothing."""
    sent = 0
    for organization in Organization.objects.order_by("pk"):
        # On its own clock: its day, and every time read on the way (drills' dates), are the organization's.
        with organization_clock(organization):
            sent += _remind(organization, on or organization.today())
    return sent
