"""Evidence kept by other modules (house meetings, signed rules, grievances): judged by plain functions, and marked
"not tracked yet" when the module is not installed."""

from datetime import date, timedelta

import pytest

from compliance.evidence import external, registry

ON = date(2026, 3, 31)


def test_the_registry_marks_absent_modules_not_tracked_yet():
    for type_name, model in [
        ("house_meetings_weekly", external.HouseMeeting),
        ("rules_signed_by_all", external.RuleAcknowledgement),
        ("grievances_answered", external.Grievance),
    ]:
        evaluator = registry.evaluators[type_name].function
        if model is None:
            evidence = evaluator({"type": type_name}, context=None)
            assert (evidence.status, evidence.note) == ("missing", external.NOT_TRACKED)
        else:  # the module is installed: a real evaluator is registered instead
            assert evaluator.__name__ != "evaluate"


def test_a_meeting_every_week_for_four_weeks_is_met():
    held = [ON - timedelta(days=d) for d in (1, 8, 15, 22)]
    assert external.judge_house_meetings(held, on=ON, weeks=4)[0] == "met"


def test_no_meeting_yet_this_week_is_expiring():
    held = [ON - timedelta(days=d) for d in (8, 15, 22)]
    assert external.judge_house_meetings(held, on=ON, weeks=4)[0] == "expiring"


def test_a_missed_week_in_the_past_is_expired():
    held = [ON - timedelta(days=d) for d in (1, 15, 22)]
    assert external.judge_house_meetings(held, on=ON, weeks=4) == (
        "expired",
        "House meetings held in 3 of the last 4 weeks.",
    )


def test_no_meetings_at_all_is_missing():
    assert external.judge_house_meetings([ON - timedelta(days=40)], on=ON, weeks=4)[0] == "missing"


def test_rules_signed_by_every_current_resident_are_met():
    assert external.judge_signatures(3, [], residents=8) == ("met", "All 8 current residents signed version 3.")


def test_unsigned_residents_are_named():
    status, note = external.judge_signatures(2, ["Ana R.", "Ben T."], residents=8)
    assert status == "missing"
    assert "2 of 8" in note
    assert "Ana R." in note


def test_a_house_without_published_rules_is_missing():
    assert external.judge_signatures(None, [], residents=3)[0] == "missing"


@pytest.mark.parametrize(
    ("filed_days_ago", "status"), [([], "met"), ([3], "expiring"), ([14], "expiring"), ([15, 2], "expired")]
)
def test_grievances_must_be_answered_within_fourteen_days(filed_days_ago, status):
    filed = [ON - timedelta(days=d) for d in filed_days_ago]
    assert external.judge_grievances(filed, on=ON, within_days=14)[0] == status
