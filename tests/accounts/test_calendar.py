from datetime import UTC, date, datetime

from accounts.calendar import local_date, week_of, week_start
from accounts.models import Organization


def test_a_week_starts_on_the_monday_before_or_on_the_day():
    assert week_start(date(2026, 3, 12)) == date(2026, 3, 9)  # a Thursday
    assert week_start(date(2026, 3, 9)) == date(2026, 3, 9)


def test_a_week_runs_monday_to_sunday():
    assert week_of(date(2026, 3, 15)) == (date(2026, 3, 9), date(2026, 3, 15))


def test_a_moment_reads_as_the_organizations_date_not_utcs():
    honolulu = Organization(name="Aloha", slug="aloha", timezone="Pacific/Honolulu")
    late_evening = datetime(2026, 3, 10, 8, 30, tzinfo=UTC)  # 22:30 on March 9 in Honolulu
    assert local_date(late_evening, honolulu) == date(2026, 3, 9)
