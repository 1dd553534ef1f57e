"""Certification dates are read in the organization's time zone, not the server's (UTC)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from compliance.selectors.certification import certification_status

from .conftest import upload

CHICAGO = ZoneInfo("America/Chicago")


def test_an_undated_inspection_report_ages_from_the_day_it_was_uploaded_in_the_houses_time_zone(operator, level_two):
    # 23:30 on March 10 in Chicago is already March 11 in UTC; the report is good for a year from March 10.
    with time_machine.travel(datetime(2026, 3, 10, 23, 30, tzinfo=CHICAGO), tick=False):
        upload(operator, level_two, "occupancy_certificate", title="Fire marshal report")
        status = certification_status(viewer=operator, house=level_two)
    [rule] = [rule for rule in status.rules if rule.rule == "2.F.17.b"]
    assert rule.status == "met"
    assert rule.evidence[0].note == "Fire marshal report, good until Mar 10, 2027."
