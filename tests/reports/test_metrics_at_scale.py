"""The monthly metrics at scale: the same number of queries for any number of houses, and the SQL shortcuts (owed
by house, unsigned rules by house) giving what billing's allocation and the house-rules selector give."""

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from bench.builder import build_organization
from billing.selectors.aging import positions
from billing.selectors.owing import Scope
from houses.models import House
from reports.metrics import Month, compliance, money, monthly_metrics
from residents.house_rules.models import RuleAcknowledgement, RuleSet
from residents.house_rules.selectors import unsigned_stays
from residents.models import BedAssignment
from tests.clock import local_moment, module_clock

_clock = module_clock(local_moment(2026, 12, 7))

MONTH = Month(2026, 11)


def _houses(organization, month=MONTH):
    opened = Q(opened_on__isnull=True) | Q(opened_on__lt=month.end)
    return House.objects.filter(opened, organization=organization).order_by("name", "pk")


def _queries(organization) -> int:
    with CaptureQueriesContext(connection) as captured:
        monthly_metrics(organization=organization, month=MONTH)
    return len(captured)


def test_the_monthly_metrics_cost_the_same_queries_for_two_houses_and_for_twenty(db):
    small = build_organization(size=2, month=MONTH)
    large = build_organization(size=20, month=MONTH)
    assert _queries(large) == _queries(small)


def test_what_is_owed_by_house_is_billings_allocation_summed_at_the_house_of_each_charge(db):
    organization = build_organization(size=6, month=MONTH)
    last = MONTH.last
    expected = {}
    for position in positions(organization_id=organization.pk, house_ids=None, on=last).values():
        for charge in position.open_charges:
            buckets = expected.setdefault(charge.house_id, {})
            buckets[charge.bucket] = buckets.get(charge.bucket, 0) + charge.open
    owed = money._owed_by_house(Scope(organization.pk, None, last))
    assert expected  # the builder leaves arrears
    assert {house: {b: v for b, v in buckets.items() if v} for house, buckets in owed.items()} == expected


def test_what_is_owed_by_house_for_some_houses_counts_only_their_charges(db):
    organization = build_organization(size=6, month=MONTH)
    every = money._owed_by_house(Scope(organization.pk, None, MONTH.last))
    some = frozenset(sorted(every)[:2])
    assert money._owed_by_house(Scope(organization.pk, some, MONTH.last)) == {h: every[h] for h in some}


@pytest.fixture
def rules_signed_in_every_way(db):
    """Three houses: the first has no rules; the second published version 1 before November and version 2 on
    November 10, and its residents signed version 1 only, version 2 in November, or version 2 only in December; the
    third published its rules only in December."""
    organization = build_organization(size=3, month=MONTH)
    tz = organization.tzinfo
    at = lambda day: datetime.combine(day, time(12), tzinfo=tz)  # noqa: E731
    _, second, third = _houses(organization)
    old = RuleSet.objects.create(
        organization=organization, house=second, number=1, is_current=False, published_at=at(date(2026, 9, 1))
    )
    new = RuleSet.objects.create(organization=organization, house=second, number=2, published_at=at(date(2026, 11, 10)))
    RuleSet.objects.create(organization=organization, house=third, number=1, published_at=at(date(2026, 12, 2)))
    sleeping = BedAssignment.objects.filter(bed__house=second, start__lte=MONTH.last).filter(
        Q(end__isnull=True) | Q(end__gt=MONTH.last)
    )
    stays = [row.stay for row in sleeping.select_related("stay")]
    assert len(stays) >= 4
    for stay, (rule_set, day) in zip(
        stays,
        [(old, date(2026, 9, 5)), (new, date(2026, 11, 12)), (new, date(2026, 12, 3)), (new, date(2026, 11, 20))],
        strict=False,
    ):
        RuleAcknowledgement.objects.create(
            organization=organization,
            resident_id=stay.resident_id,
            stay=stay,
            rule_set=rule_set,
            signature="Signed",
            signed_at=at(day),
        )
    return organization


def test_unsigned_rules_by_house_agree_with_the_house_rules_selector(rules_signed_in_every_way):
    organization = rules_signed_in_every_way
    houses = _houses(organization).order_by().values("pk")
    end = datetime.combine(MONTH.end, time.min, tzinfo=organization.tzinfo)
    night = MONTH.end - timedelta(days=1)
    expected = {
        row["night_house_id"]: row["n"]
        for row in unsigned_stays(night=night, houses=houses, at=end)
        .values("night_house_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    assert expected  # the second house has residents who had not signed version 2 by December
    assert compliance._unsigned_at(scope=houses, night=night, end=end) == expected
