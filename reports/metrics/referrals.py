"""Referral figures for a month, per house and for the organization: where applications came from, how fast they
got a first reply, how many were accepted and admitted (overall and per referral partner), and how long beds stood
empty between residents.

Definitions (the month is first <= moment < end on the organization's clock: end is the next month's first, or the
day after through for a month still running, reported "to date, through last night"; everything is read as it
stood at the month's end, so nothing done later changes a past month; an application counts at the house it asked
for, and one that asked for none only in the organization's figures):

- ``received``: applications received in the month (``received_at``), by who referred them (``by_source``: self,
  family, a referral partner, other) and by how they arrived (``by_channel``: recorded by staff, public form,
  referral partner, spreadsheet import). An application erased at the applicant's request still counts: erasing
  blanks who the person is, not what the figures are made of, so no past month changes.
- ``replied`` / ``waiting_for_reply``: of those, the ones that had a first reply (``first_contacted_at``) by the
  month's end, and the ones that had none by then.
- ``median_hours_to_reply``: the median of the hours from receipt to first reply of the replied applications, one
  decimal (None when none was replied). It leaves out the applications still waiting at the month's end, so read
  it beside ``waiting_for_reply`` and ``oldest_wait_hours``: the hours the longest-waiting of those had waited at
  the month's end, one decimal (None when none was waiting).
- ``replied_within_24h``: applications replied within 24 hours of receipt (by the month's end);
  ``replied_within_24h_pct`` is their share of those received.
- ``accepted`` / ``admitted`` / ``declined``: applications received in the month that the history shows accepted
  (a step to accepted or admitted), admitted, or declined before the month's end, whatever happened after;
  ``accepted_pct`` and ``admitted_pct`` are their shares of those received, one decimal (None when none arrived).
- ``by_partner``: the same figures for the applications each referral partner sent, one row per partner that sent
  any in the month: sent through the partner's link or login, or recorded by staff as referred by a partner whose
  name is the application's "referred by (name)" (letter case and spaces around aside).
- ``turnovers``: bed assignments starting in the month in a bed that an earlier resident had left (a bed's first
  ever occupant is no turnover).
- ``empty_bed_nights``, ``average_empty_nights`` and ``median_empty_nights``: the nights each such bed stood
  empty between the previous resident's last night and the next one's first, counting only nights it was in
  service (its dates, its house's dates and its outages, as on the bed board), summed, averaged and the median.
"""

from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import NamedTuple

from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Trim

from houses.models import BedOutage
from residents.models import Application, ApplicationEvent, BedAssignment
from vacancies.models import ReferralPartner

from .period import Month

# The totals count the applications that asked for no house (monthly_metrics passes ``whole_organization``).
COUNTS_OUTSIDE_HOUSES = True

SOURCES = [code for code, _label in Application.ReferredBy.choices]
CHANNELS = [code for code, _label in Application.ReceivedVia.choices]
DAY = Decimal(24)


class Received(NamedTuple):
    """One application received in the month, as it stood at the month's end."""

    house_id: int | None
    referred_by: str
    received_via: str
    hours_to_reply: Decimal | None  # None: no reply by the month's end
    hours_waited: Decimal | None  # hours waited at the month's end without a reply (None: replied)
    partner_id: int | None
    partner: str | None
    partner_kind: str | None
    accepted: bool
    admitted: bool
    declined: bool


@dataclass
class Parts:
    """What the published figures are made of, kept so totals merge the underlying lists, not medians."""

    applications: list[Received] = field(default_factory=list)
    empty_nights: list[int] = field(default_factory=list)

    def add(self, other: "Parts") -> None:
        self.applications.extend(other.applications)
        self.empty_nights.extend(other.empty_nights)


def _bounds(organization, month: Month) -> tuple[datetime, datetime]:
    tz = organization.tzinfo
    return datetime.combine(month.first, time.min, tzinfo=tz), datetime.combine(month.end, time.min, tzinfo=tz)


def _one_decimal(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _pct(part: int, whole: int) -> Decimal | None:
    return _one_decimal(Decimal(part) * 100 / whole) if whole else None


def _received(applications, *, organization, month: Month) -> list[Received]:
    """The month's applications among ``applications``, each with its reply and decisions as of the month's end
    (read from the event history, so a later change of status leaves the month alone). One query."""
    start, end = _bounds(organization, month)
    Status = Application.Status

    def reached(*statuses):
        return Exists(ApplicationEvent.objects.filter(application=OuterRef("pk"), to_status__in=statuses, at__lt=end))

    # A partner's referral recorded by staff has no Referral row: the partner is the one it names.
    named = ReferralPartner.objects.filter(
        organization_id=OuterRef("organization_id"), name__iexact=Trim(OuterRef("referral_source"))
    ).order_by("pk")

    def partner(column):
        linked = "referral__partner_id" if column == "pk" else f"referral__partner__{column}"
        return Case(
            When(referral__isnull=False, then=F(linked)),
            When(referred_by=Application.ReferredBy.PARTNER, then=Subquery(named.values(column)[:1])),
        )

    rows = (
        applications.filter(organization=organization, received_at__gte=start, received_at__lt=end)
        .annotate(
            partner_id_=partner("pk"),
            partner_name_=partner("name"),
            partner_kind_=partner("kind"),
            accepted_by_end=reached(Status.ACCEPTED, Status.ADMITTED),
            admitted_by_end=reached(Status.ADMITTED),
            declined_by_end=reached(Status.DECLINED),
        )
        .order_by()
        .values_list(
            "preferred_house_id", "referred_by", "received_via", "received_at", "first_contacted_at",
            "partner_id_", "partner_name_", "partner_kind_", "accepted_by_end",
            "admitted_by_end", "declined_by_end",
        )
    )  # fmt: skip
    result = []
    for house_id, source, channel, received_at, contacted_at, partner_id, partner, kind, *decided in rows:
        hours = waited = None
        if contacted_at is not None and contacted_at < end:
            # A reply stamped before receipt (an import of old records) is an instant reply, never a negative one.
            seconds = max((contacted_at - received_at).total_seconds(), 0)
            hours = Decimal(seconds) / 3600
        else:
            waited = Decimal((end - received_at).total_seconds()) / 3600
        result.append(Received(house_id, source, channel, hours, waited, partner_id, partner, kind, *decided))
    return result


def _empty_nights(*, scope, month: Month) -> dict[int, list[int]]:
    """Per house: for each bed assignment starting in the month after an earlier resident's in the same bed, the
    nights between them the bed was in service. Two queries (the outages only when there is a turnover)."""
    earlier = BedAssignment.objects.filter(bed=OuterRef("bed"), start__lt=OuterRef("start")).order_by("-start", "-pk")
    arrivals = BedAssignment.objects.filter(bed__house_id__in=scope, start__gte=month.first, start__lt=month.end)
    rows = list(
        arrivals.annotate(
            previous_end=Subquery(earlier.values("end")[:1]),
            previous_resident=Subquery(earlier.values("stay__resident_id")[:1]),
        )
        .filter(previous_end__isnull=False)
        # A resident back in the bed they had left is no change of resident.
        .exclude(previous_resident=F("stay__resident_id"))
        .order_by()
        .values_list(
            "bed_id", "bed__house_id", "previous_end", "start", "bed__in_service_from", "bed__retired_on",
            "bed__house__opened_on", "bed__house__closed_on",
        )
    )  # fmt: skip
    result: dict[int, list[int]] = {}
    if not rows:
        return result
    outages: dict[int, list[tuple]] = {}
    since = min(row[2] for row in rows)
    # A subquery, not a list of ids: a month of a large organization has thousands of arrivals.
    lost = BedOutage.objects.filter(bed_id__in=arrivals.values("bed_id"), start__lt=month.end).filter(
        Q(end__isnull=True) | Q(end__gt=since)
    )
    for bed_id, out_from, out_until in lost.values_list("bed_id", "start", "end"):
        outages.setdefault(bed_id, []).append((out_from, out_until))
    for bed_id, house_id, left, arrived, in_service_from, retired_on, opened_on, closed_on in rows:
        # The nights the bed served between the two residents, by the bed board's rule: inside the bed's and the
        # house's dates, less the nights an outage covered (a bed's outages never overlap).
        lo = max(left, in_service_from, opened_on or left)
        hi = min(arrived, retired_on or arrived, closed_on or arrived)
        nights = max((hi - lo).days, 0)
        for out_from, out_until in outages.get(bed_id, ()):
            overlap = (min(out_until or hi, hi) - max(out_from, lo)).days
            nights -= max(overlap, 0)
        result.setdefault(house_id, []).append(max(nights, 0))
    return result


def by_house(*, houses, month: Month, organization=None) -> dict[int, Parts]:
    """The referral figures' parts of each house in ``houses`` for ``month``: {house_id: parts}. Three queries at
    most, whatever the number of houses, partners or applications."""
    house_ids = list(houses.values_list("pk", flat=True))
    result = {pk: Parts() for pk in house_ids}
    if not house_ids:
        return result
    scope = houses.order_by().values("pk")
    organization = organization or houses.select_related("organization").first().organization
    for row in _received(
        Application.objects.filter(preferred_house_id__in=scope), organization=organization, month=month
    ):
        result[row.house_id].applications.append(row)
    for house_id, nights in _empty_nights(scope=scope, month=month).items():
        result[house_id].empty_nights.extend(nights)
    return result


def total(per_house: dict[int, Parts], *, month: Month, organization=None, whole_organization=False) -> Parts:
    """Organization (or one house's report) totals: the houses' parts merged. For the whole organization, the
    applications that asked for no house (or for one not yet open in the month) are added: one more query."""
    parts = Parts()
    for house_parts in per_house.values():
        parts.add(house_parts)
    if whole_organization and organization is not None:
        elsewhere = Application.objects.filter(
            Q(preferred_house__isnull=True) | Q(preferred_house__opened_on__gte=month.end)
        )
        parts.applications.extend(_received(elsewhere, organization=organization, month=month))
    return parts


def _reply_and_decisions(applications: list[Received]) -> dict:
    received = len(applications)
    hours = sorted(row.hours_to_reply for row in applications if row.hours_to_reply is not None)
    waited = [row.hours_waited for row in applications if row.hours_waited is not None]
    within_day = sum(1 for value in hours if value <= DAY)
    accepted = sum(row.accepted for row in applications)
    admitted = sum(row.admitted for row in applications)
    return {
        "received": received,
        "replied": len(hours),
        "waiting_for_reply": received - len(hours),
        "median_hours_to_reply": _one_decimal(median(hours)) if hours else None,
        "oldest_wait_hours": _one_decimal(max(waited)) if waited else None,
        "replied_within_24h": within_day,
        "replied_within_24h_pct": _pct(within_day, received),
        "accepted": accepted,
        "admitted": admitted,
        "declined": sum(row.declined for row in applications),
        "accepted_pct": _pct(accepted, received),
        "admitted_pct": _pct(admitted, received),
    }


def public(parts: Parts) -> dict:
    """The published figures, as the API and the PDF show them, from the parts (per house and for totals alike)."""
    applications = parts.applications
    by_source = dict.fromkeys(SOURCES, 0)
    by_channel = dict.fromkeys(CHANNELS, 0)
    partners: dict[int, list[Received]] = {}
    for row in applications:
        by_source[row.referred_by] = by_source.get(row.referred_by, 0) + 1
        by_channel[row.received_via] = by_channel.get(row.received_via, 0) + 1
        if row.partner_id is not None:
            partners.setdefault(row.partner_id, []).append(row)
    by_partner = [
        {
            "partner_id": partner_id,
            "partner": rows[0].partner,
            "kind": rows[0].partner_kind,
            **_reply_and_decisions(rows),
        }
        for partner_id, rows in sorted(partners.items(), key=lambda item: (item[1][0].partner.lower(), item[0]))
    ]
    nights = parts.empty_nights
    figures = _reply_and_decisions(applications)
    return {
        "received": figures.pop("received"),
        "by_source": by_source,
        "by_channel": by_channel,
        **figures,
        "by_partner": by_partner,
        "turnovers": len(nights),
        "empty_bed_nights": sum(nights),
        "average_empty_nights": _one_decimal(Decimal(sum(nights)) / len(nights)) if nights else None,
        "median_empty_nights": _one_decimal(median(nights)) if nights else None,
    }
