"""The hourly scan records the openings planned move-outs bring within the notice days for every house at once: the
same queries for 2 houses as for 20, one offer queued per opening, and nothing more to do on the next run."""

from datetime import date, timedelta

import pytest

from tests.factories import HouseFactory
from vacancies.models import BedOpening
from vacancies.services.offers import offer_next_task
from vacancies.tasks import scan_openings

from .conftest import NOW, days, plan, resident_in

# Measured with 2 houses: the scan's reads, then the openings found inserted together and read back.
FIRST_SCAN_QUERIES = 17
REPEAT_SCAN_QUERIES = 11


def _planned_move_outs(organization, count):
    """``count`` houses, each with a resident planning to leave in 10 days (beyond the 7 notice days)."""
    for number in range(count):
        house = HouseFactory(organization=organization, name=f"Home {number:03d}", beds=2)
        plan(resident_in(house), days(10))
    assert not BedOpening.objects.exists()


@pytest.mark.parametrize("houses", [2, 20])
def test_the_scan_takes_the_same_queries_for_2_houses_as_for_20(
    organization, clock, houses, django_assert_max_num_queries
):
    _planned_move_outs(organization, houses)
    clock.move_to(NOW + timedelta(days=3))
    with django_assert_max_num_queries(FIRST_SCAN_QUERIES):
        scan_openings()
    assert sorted(BedOpening.objects.values_list("opens_on", "cause")) == [(date(2026, 12, 17), "planned")] * houses


@pytest.mark.parametrize("houses", [2, 20])
def test_a_scan_with_nothing_new_takes_the_same_queries_for_2_houses_as_for_20(
    organization, clock, houses, django_assert_max_num_queries
):
    _planned_move_outs(organization, houses)
    clock.move_to(NOW + timedelta(days=3))
    scan_openings()
    with django_assert_max_num_queries(REPEAT_SCAN_QUERIES):
        scan_openings()
    assert BedOpening.objects.count() == houses


def test_each_opening_the_scan_finds_is_offered_once_committed_in_the_order_of_its_stays(
    organization, clock, django_capture_on_commit_callbacks, monkeypatch
):
    _planned_move_outs(organization, 3)
    clock.move_to(NOW + timedelta(days=3))
    offered = []
    monkeypatch.setattr(offer_next_task, "run", lambda opening_id: offered.append(opening_id))
    with django_capture_on_commit_callbacks(execute=True):
        scan_openings()
    stays = BedOpening.objects.order_by("stay_id").values_list("pk", flat=True)
    assert offered == list(stays)
