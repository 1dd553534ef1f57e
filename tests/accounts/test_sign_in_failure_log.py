"""django-axes logs every failed sign-in (the database fallback of the sign-in limits reads it); a nightly job keeps a
month of it."""

from datetime import timedelta

from axes.models import AccessFailureLog
from django.conf import settings
from django.utils import timezone

from accounts.tasks import prune_sign_in_failures


def _failure(at):
    failure = AccessFailureLog.objects.create(username="someone@example.com", ip_address="192.0.2.7", user_agent="")
    AccessFailureLog.objects.filter(pk=failure.pk).update(attempt_time=at)
    return failure


def test_the_nightly_job_forgets_failures_older_than_a_month_and_keeps_the_rest(db):
    now = timezone.now()
    old = _failure(now - timedelta(days=31))
    recent = _failure(now - timedelta(days=29))
    assert prune_sign_in_failures() == 1
    assert list(AccessFailureLog.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not AccessFailureLog.objects.filter(pk=old.pk).exists()


def test_beat_runs_the_prune_every_night():
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "accounts.tasks.prune_sign_in_failures"
    )
    assert entry["schedule"].hour == {9}
