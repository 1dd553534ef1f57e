"""Evacuation drills: logged after they happen; houses that need them and have none recently are flagged."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.exceptions import DomainError
from compliance.models import Drill, SafetyPolicy
from compliance.selectors.safety import houses_with_overdue_drills
from compliance.services.drills import drill_log

from .conftest import aware


def _drill(actor, house, when, **extra):
    return drill_log(
        actor=actor, house=house, held_at=when, residents_present=extra.pop("present", 7),
        evacuation_minutes=extra.pop("minutes", Decimal("2.5")), **extra,
    )  # fmt: skip


def test_a_drill_is_logged_with_who_recorded_it(manager, house):
    drill = _drill(manager, house, timezone.now() - timedelta(hours=2), notes="Night drill")
    assert drill.recorded_by == manager.user
    assert drill.organization == house.organization


def test_a_drill_in_the_future_is_refused_naming_held_at(manager, house):
    with pytest.raises(DomainError) as refused:
        _drill(manager, house, timezone.now() + timedelta(hours=1))
    assert refused.value.field == "held_at"
    assert not Drill.objects.exists()


@pytest.mark.parametrize("minutes", [Decimal("0"), Decimal("-1.5")])
def test_minutes_to_evacuate_must_be_positive(manager, house, minutes):
    with pytest.raises(DomainError) as refused:
        _drill(manager, house, timezone.now(), minutes=minutes)
    assert refused.value.field == "evacuation_minutes"


def test_a_level_two_house_with_no_drill_in_ninety_days_is_flagged(operator, level_two, today):
    _drill(operator, level_two, aware(today - timedelta(days=95)))
    flagged = houses_with_overdue_drills(viewer=operator, on=today)
    assert [house.pk for house in flagged] == [level_two.pk]
    assert flagged[0].drill_due_on is not None


def test_a_recent_drill_clears_the_flag(operator, level_two, today):
    _drill(operator, level_two, aware(today - timedelta(days=30)))
    assert houses_with_overdue_drills(viewer=operator, on=today) == []


def test_a_level_two_house_that_never_drilled_is_flagged(operator, level_two, today):
    assert [house.drill_due_on for house in houses_with_overdue_drills(viewer=operator, on=today)] == [None]


def test_a_level_one_house_needs_drills_only_when_configured(operator, house, today):
    house.narr_level = 1
    house.save()
    assert houses_with_overdue_drills(viewer=operator, on=today) == []
    SafetyPolicy.objects.create(organization=house.organization, house=house, drills_at_level_one=True)
    assert [h.pk for h in houses_with_overdue_drills(viewer=operator, on=today)] == [house.pk]


def test_the_drill_interval_comes_from_the_house_policy(operator, level_two, today):
    SafetyPolicy.objects.create(organization=level_two.organization, house=level_two, drill_interval_days=30)
    _drill(operator, level_two, aware(today - timedelta(days=45)))
    assert [h.pk for h in houses_with_overdue_drills(viewer=operator, on=today)] == [level_two.pk]


def test_a_manager_is_flagged_only_their_houses(manager, operator, level_two, other_house, today):
    other_house.narr_level = 3
    other_house.save()
    assert [h.pk for h in houses_with_overdue_drills(viewer=manager, on=today)] == [level_two.pk]


def test_the_api_logs_a_drill_and_lists_overdue_houses(api, manager, level_two):
    client = api(manager)
    response = client.get("/api/v1/drills/overdue/")
    assert [row["house"] for row in response.json()] == [level_two.pk]
    held = (timezone.now() - timedelta(minutes=10)).isoformat()
    body = {"house": level_two.pk, "held_at": held, "residents_present": 6, "evacuation_minutes": "3.0"}
    assert client.post("/api/v1/drills/", body, format="json").status_code == 201
    assert client.get("/api/v1/drills/overdue/").json() == []
