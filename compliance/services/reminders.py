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
from django.db import connection
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

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


def _lapsing(houses: dict[int, House], days: dict[int, date]) -> dict[int, list[Due]]:
    """{organization id: documents, kits and extinguishers lapsing within 30 days}, for all organizations at once."""
    found = defaultdict(list)
    horizons = {organization_id: on + timedelta(days=max(WARNINGS)) for organization_id, on in days.items()}
    documents = (
        Document.objects.current()
        .filter(organization_id__in=list(days), expires_on__isnull=False, expires_on__lte=max(horizons.values()))
        .select_related("house")
    )
    for document in documents:
        if document.house_id is not None and document.house_id not in houses:
            continue  # a closed house's papers no longer matter
        on = days[document.organization_id]
        if document.expires_on > horizons[document.organization_id]:
            continue
        found[document.organization_id].append(
            Due(document.house, ItemType.DOCUMENT, document.pk, document.expires_on,
                _lapse_threshold(document.expires_on, on),
                f"{document.title} ({document.get_kind_display().lower()}) {_when(document.expires_on, on)}")
        )  # fmt: skip
    equipment = SafetyEquipment.objects.active().filter(house__in=list(houses))
    for item in equipment:
        house = houses[item.house_id]
        on = days[house.organization_id]
        due_on = item.due_on
        if due_on is None or due_on > horizons[house.organization_id]:
            continue
        if item.kind == SafetyEquipment.Kind.NALOXONE_KIT:
            found[house.organization_id].append(
                Due(house, ItemType.NALOXONE_KIT, item.pk, due_on, _lapse_threshold(due_on, on),
                    f"Naloxone kit at {item.location} {_when(due_on, on)}")
            )  # fmt: skip
        else:
            verb = "was due" if due_on < on else "is due"
            found[house.organization_id].append(
                Due(house, ItemType.EXTINGUISHER_SERVICE, item.pk, due_on,
                    _lapse_threshold(due_on, on), f"Extinguisher at {item.location}: annual service {verb} "
                    f"{due_on:%b %-d, %Y}")
            )  # fmt: skip
    return found


def _overdue(
    organizations: dict[int, Organization], houses: dict[int, House], days: dict[int, date]
) -> dict[int, list[Due]]:
    """{organization id: overdue inspections, drills and corrective actions}, for all organizations at once."""
    found = defaultdict(list)
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
        organization = organizations[house.organization_id]
        on = days[organization.pk]
        policy = policies.get(house.pk) or SafetyPolicy.default_for(house)
        if row["last_inspected_on"] is None:
            found[organization.pk].append(
                Due(house, ItemType.INSPECTION_DUE, house.pk, None, "overdue", "No safety inspection yet")
            )
        else:
            due_on = row["last_inspected_on"] + timedelta(days=policy.inspection_interval_days)
            if due_on < on:
                found[organization.pk].append(
                    Due(house, ItemType.INSPECTION_DUE, house.pk, due_on, "overdue",
                        f"Safety inspection overdue since {due_on:%b %-d, %Y}")
                )  # fmt: skip
        if not policy.needs_drills(house.narr_level):
            continue
        if row["last_drill_at"] is None:
            found[organization.pk].append(
                Due(house, ItemType.DRILL_DUE, house.pk, None, "overdue", "No evacuation drill logged yet")
            )
        else:
            held_on = local_date(row["last_drill_at"], organization)
            due_on = held_on + timedelta(days=policy.drill_interval_days)
            if due_on < on:
                found[organization.pk].append(
                    Due(house, ItemType.DRILL_DUE, house.pk, due_on, "overdue",
                        f"Evacuation drill overdue since {due_on:%b %-d, %Y}")
                )  # fmt: skip
    for action in CorrectiveAction.objects.overdue(max(days.values())).filter(house__in=list(houses)):
        house = houses[action.house_id]
        if action.due_on >= days[house.organization_id]:
            continue  # overdue only on a later organization's day
        found[house.organization_id].append(
            Due(house, ItemType.CORRECTIVE_ACTION, action.pk, action.due_on, "overdue",
                f"Corrective action overdue since {action.due_on:%b %-d, %Y}: {action.description[:160]}")
        )  # fmt: skip
    return found


def _items_due(organizations: dict[int, Organization], days: dict[int, date]) -> dict[int, list[Due]]:
    """{organization id: what lapses or is overdue on its day}: a fixed number of queries for every organization."""
    houses = {
        house.pk: house for house in House.objects.filter(organization_id__in=list(organizations), status="active")
    }
    # An organization without an active house is reminded of nothing, not even its organization-wide papers.
    housed = {house.organization_id for house in houses.values()}
    days = {pk: on for pk, on in days.items() if pk in housed}
    if not days:
        return {}
    lapsing, overdue = _lapsing(houses, days), _overdue(organizations, houses, days)
    return {pk: lapsing.get(pk, []) + overdue.get(pk, []) for pk in organizations if pk in days}


def certification_items_due(*, organization: Organization, on: date) -> list[Due]:
    """What in the organization's active houses lapses within 30 days or is lapsed or overdue on ``on``."""
    return _items_due({organization.pk: organization}, {organization.pk: on}).get(organization.pk, [])


CLAIM_BATCH = 1000


def _claim(candidates: list[tuple[int, Due, date]]) -> set[tuple[str, int, str]]:
    """Inserts every candidate's reminder row in a few statements (``ON CONFLICT DO NOTHING`` on the unique key,
    committed before any e-mail goes out) and returns the keys this call inserted: an item and threshold already
    reminded, by an earlier run or one running at the same moment, is not among them."""
    table = connection.ops.quote_name(ReminderSent._meta.db_table)
    now = timezone.now()
    claimed = set()
    for start in range(0, len(candidates), CLAIM_BATCH):
        batch = candidates[start : start + CLAIM_BATCH]
        params = []
        for organization_id, due, on in batch:
            params += [
                organization_id, due.house.pk if due.house else None, due.item_type, due.item_id, due.key,
                due.due_on or on, due.summary[:300], now,
            ]  # fmt: skip
        values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(batch))
        with connection.cursor() as cursor:
            # Only the table name and placeholders go into the text; every value is a parameter.
            cursor.execute(
                f"INSERT INTO {table} (organization_id, house_id, item_type, item_id, threshold, due_on, summary,"  # noqa: S608
                f" sent_at) VALUES {values} ON CONFLICT (item_type, item_id, threshold) DO NOTHING"
                " RETURNING item_type, item_id, threshold",
                params,
            )
            claimed.update((item_type, int(item_id), threshold) for item_type, item_id, threshold in cursor.fetchall())
    return claimed


def _recipients(organization_ids: list[int]) -> tuple[dict[int, list[Membership]], dict[int, list[Membership]]]:
    """({organization id: its operators}, {house id: its managers}) for every organization, in two queries."""
    members = Membership.objects.active().filter(organization_id__in=organization_ids).select_related("user")
    operators = defaultdict(list)
    managers = {}
    for member in members:
        if member.role == Role.OPERATOR:
            operators[member.organization_id].append(member)
        elif member.role == Role.MANAGER:
            managers[member.pk] = member
    runs = defaultdict(set)
    for house_id, membership_id in House.staff.through.objects.filter(membership_id__in=list(managers)).values_list(
        "house_id", "membership_id"
    ):
        runs[house_id].add(membership_id)
    return operators, {house_id: [managers[pk] for pk in sorted(ids)] for house_id, ids in runs.items()}


def _digests(
    operators: list[Membership], managers: dict[int, list[Membership]], claimed: list[Due]
) -> dict[Membership, list[Due]]:
    """Operators get every claimed item; each house's managers get that house's."""
    digests = defaultdict(list)
    for due in claimed:
        for operator in operators:
            digests[operator].append(due)
        for manager in managers.get(due.house.pk, ()) if due.house else ():
            digests[manager].append(due)
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


def _send(organization: Organization, digests: dict[Membership, list[Due]], day: date) -> int:
    """E-mails the organization's digests; returns the e-mails sent."""
    sent = 0
    for membership, items in digests.items():
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
    same day sends nothing. The candidates of all organizations are read and claimed together, in a fixed number
    of queries however many houses and items there are."""
    organizations = {organization.pk: organization for organization in Organization.objects.order_by("pk")}
    days = {pk: on or organization.today() for pk, organization in organizations.items()}
    due = _items_due(organizations, days)
    candidates = [(pk, item, days[pk]) for pk, items in due.items() for item in items]
    if not candidates:
        return 0
    keys = _claim(candidates)
    claimed = defaultdict(list)
    for pk, item, _day in candidates:
        if (item.item_type, item.item_id, item.key) in keys:
            claimed[pk].append(item)
    if not claimed:
        return 0
    operators, managers = _recipients(list(claimed))
    sent = 0
    for pk in sorted(claimed):
        organization = organizations[pk]
        # On its own clock, as every job that works for one organization.
        with organization_clock(organization):
            sent += _send(organization, _digests(operators.get(pk, []), managers, claimed[pk]), days[pk])
    return sent
