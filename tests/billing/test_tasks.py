"""The daily billing jobs: Celery beat entries that call the idempotent services, each organization on its day."""

from datetime import date
from decimal import Decimal

from django.conf import settings

from billing import tasks
from billing.models import EntryKind, LateFeeKind, LedgerEntry
from config.celery import app
from tests.factories import admit

from .conftest import make_policy


def test_beat_runs_rent_posting_and_late_fees_daily():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["billing-post-rent-due"]["task"] == "billing.tasks.post_rent_due"
    assert schedule["billing-assess-late-fees"]["task"] == "billing.tasks.assess_late_fees"
    for entry in ("billing-post-rent-due", "billing-assess-late-fees"):
        crontab = schedule[entry]["schedule"]
        assert crontab.hour == {10}
        assert len(crontab.minute) == 1


def test_the_beat_tasks_are_registered():
    app.loader.import_default_modules()
    assert {"billing.tasks.post_rent_due", "billing.tasks.assess_late_fees"} <= set(app.tasks)


def test_the_rent_task_posts_what_is_due_on_each_organizations_today(policy, house, foreign_house):
    make_policy(foreign_house, rent_amount=Decimal("600.00"))
    ours, theirs = admit(house, date(2026, 6, 1)), admit(foreign_house, date(2026, 6, 1))
    assert tasks.post_rent_due.delay().get() == 2
    assert tasks.post_rent_due.delay().get() == 0  # idempotent
    assert LedgerEntry.objects.get(stay=ours, kind=EntryKind.RENT).amount == Decimal("900.00")
    assert LedgerEntry.objects.get(stay=theirs, kind=EntryKind.RENT).amount == Decimal("600.00")


def test_the_rent_task_can_run_for_one_organization(policy, house, foreign_house, organization):
    make_policy(foreign_house)
    admit(house, date(2026, 6, 1))
    admit(foreign_house, date(2026, 6, 1))
    assert tasks.post_rent_due.delay(organization.pk).get() == 1


def test_the_late_fee_task_assesses_todays_late_rent(house):
    make_policy(
        house, rent_due_day=9, late_fee_kind=LateFeeKind.FLAT, late_fee_amount=Decimal("30.00"), late_fee_grace_days=5
    )
    stay = admit(house, date(2026, 6, 9))
    tasks.post_rent_due.delay().get()
    # Rent due June 9 with 5 grace days is late from June 15, today.
    assert tasks.assess_late_fees.delay().get() == 1
    assert tasks.assess_late_fees.delay().get() == 0
    assert LedgerEntry.objects.get(stay=stay, kind=EntryKind.LATE_FEE).amount == Decimal("30.00")
