"""Test clocks. A module whose data has fixed dates (a hand-built month, a phase history) runs with its clock after
them, so its verdict does not depend on the day the suite runs (or on ``HEARTH_TEST_NOW``)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

# The test organizations' time zone (tests/factories.py).
CHICAGO = ZoneInfo("America/Chicago")


def local_moment(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A wall-clock moment in the test organizations' time zone."""
    return datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


def module_clock(moment: datetime):
    """An autouse fixture for a test module: ``_clock = module_clock(local_moment(2026, 6, 10))`` runs every test of
    the module, fixtures included, from that moment on (the clock ticks)."""

    @pytest.fixture(autouse=True)
    def _clock():
        with time_machine.travel(moment, tick=True):
            yield

    return _clock
