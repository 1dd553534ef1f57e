"""The daily certification digest: one e-mail per person, each item once per threshold, safe to run twice."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from compliance.models import ReminderSent
from compliance.services import inspections as inspection_services
from compliance.services import safety as safety_services
from compliance.services.drills import drill_log
from compliance.services.reminders import certification_reminders_send
from compliance.tasks import send_certification_reminders
from tests.factories import MembershipFactory

from .conftest import aware, upload


@pytest.fixture
def inspected(operator, level_two, other_house, today):
    """Both houses inspected and drilled recently, so only what a test adds is due."""
    for house in (level_two, other_house):
        inspection = inspection_services.inspection_start(actor=operator, house=house, inspected_on=today)
        for line in inspection.lines.all():
            extra = {}
            if line.item == "fire_extinguisher":
                extra = {"location": "Kitchen", "last_serviced_on": today}
            if line.item == "naloxone_kit":
                extra = {"location": "Hall", "quantity": 2, "expires_on": today + timedelta(days=400)}
            inspection_services.inspection_line_record(actor=operator, line=line, result="pass", **extra)
        inspection_services.inspection_complete(actor=operator, inspection=inspection)
        # Held just now: "10 a.m. today" is still ahead in the small hours, and a drill cannot be logged ahead.
        drill_log(
            actor=operator, house=house, held_at=timezone.now(), residents_present=3, evacuation_minutes=Decimal(2)
        )
    return level_two


def _to(email):
    return [message for message in mail.outbox if message.to == [email]]


def test_nothing_due_sends_nothing(inspected, today):
    assert certification_reminders_send(on=today) == 0
    assert mail.outbox == []


def test_operators_and_the_houses_managers_get_one_digest_each(operator, manager, inspected, other_house, today):
    upload(operator, inspected, "liability_insurance", expires_on=today + timedelta(days=25))
    upload(operator, other_house, "liability_insurance", expires_on=today + timedelta(days=5))
    assert certification_reminders_send(on=today) == 2
    (to_operator,) = _to(operator.user.email)
    (to_manager,) = _to(manager.user.email)
    assert "Maple House" in to_operator.body
    assert "Willow House" in to_operator.body
    assert "Maple House" in to_manager.body
    assert "Willow House" not in to_manager.body
    assert "in 25 days" in to_manager.body


def test_a_second_run_the_same_day_sends_nothing(operator, inspected, today):
    upload(operator, inspected, "liability_insurance", expires_on=today + timedelta(days=25))
    certification_reminders_send(on=today)
    mail.outbox.clear()
    assert certification_reminders_send(on=today) == 0
    assert mail.outbox == []


def test_each_threshold_is_reminded_once_as_the_date_nears_and_passes(operator, inspected, today):
    document = upload(operator, inspected, "liability_insurance", expires_on=today + timedelta(days=30))
    sent_days = []
    for day in range(0, 35):
        mail.outbox.clear()
        if certification_reminders_send(on=today + timedelta(days=day)):
            sent_days.append(day)
    assert sent_days == [0, 23, 31]  # 30 days before, 7 days before, the day after it lapsed
    thresholds = ReminderSent.objects.filter(item_type="document", item_id=document.pk).values_list(
        "threshold", flat=True
    )
    assert sorted(t.split(":")[0] for t in thresholds) == ["30", "7", "expired"]


def test_kits_and_extinguisher_service_are_reminded(operator, inspected, today):
    safety_services.safety_equipment_add(
        actor=operator, house=inspected, kind="naloxone_kit", location="Office", quantity=1,
        expires_on=today + timedelta(days=6),
    )  # fmt: skip
    safety_services.safety_equipment_add(
        actor=operator, house=inspected, kind="fire_extinguisher", location="Garage",
        last_serviced_on=today - timedelta(days=340),
    )  # fmt: skip
    certification_reminders_send(on=today)
    body = _to(operator.user.email)[0].body
    assert "Naloxone kit at Office lapses on" in body
    assert "Extinguisher at Garage: annual service is due" in body


def test_overdue_inspections_drills_and_corrective_actions_are_reminded(operator, level_two, today):
    inspection = inspection_services.inspection_start(
        actor=operator, house=level_two, inspected_on=today - timedelta(days=40)
    )
    line = inspection.lines.get(item="exits_clear")
    inspection_services.inspection_line_record(actor=operator, line=line, result="fail", note="Blocked stairs")
    for other in inspection.lines.exclude(pk=line.pk):
        inspection_services.inspection_line_record(actor=operator, line=other, result="fail", note="Not checked")
    inspection_services.inspection_complete(actor=operator, inspection=inspection)
    drill_log(
        actor=operator, house=level_two, held_at=aware(today - timedelta(days=120)), residents_present=3,
        evacuation_minutes=Decimal(2),
    )  # fmt: skip
    certification_reminders_send(on=today)
    body = _to(operator.user.email)[0].body
    assert "OVERDUE: Safety inspection overdue since" in body
    assert "OVERDUE: Evacuation drill overdue since" in body
    assert "OVERDUE: Corrective action overdue since" in body
    assert "Blocked stairs" in body


def test_an_organization_wide_document_goes_to_operators_only(operator, manager, inspected, today):
    upload(operator, None, "code_of_ethics", expires_on=today + timedelta(days=3))
    certification_reminders_send(on=today)
    assert "Whole organization" in _to(operator.user.email)[0].body
    assert _to(manager.user.email) == []


def test_another_organization_is_reminded_separately(operator, outsider, foreign_house, inspected, today):
    upload(outsider, foreign_house, "liability_insurance", expires_on=today + timedelta(days=2))
    certification_reminders_send(on=today)
    assert _to(operator.user.email) == []
    assert "Aspen House" in _to(outsider.user.email)[0].body


def test_inactive_staff_get_no_digest(operator, inspected, today):
    former = MembershipFactory(organization=operator.organization, role="operator", is_active=False)
    upload(operator, inspected, "liability_insurance", expires_on=today + timedelta(days=2))
    certification_reminders_send(on=today)
    assert _to(former.user.email) == []


def test_the_daily_job_is_scheduled_and_runs_the_service(operator, inspected, today):
    entry = django_settings.CELERY_BEAT_SCHEDULE["certification-reminders"]
    assert entry["task"] == "compliance.tasks.send_certification_reminders"
    upload(operator, inspected, "liability_insurance", expires_on=today + timedelta(days=2))
    assert send_certification_reminders.delay().get() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_each_reminder_once(operator, inspected, today):
    upload(operator, inspected, "liability_insurance", expires_on=today + timedelta(days=2))
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(certification_reminders_send(on=today))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1]
    assert len(_to(operator.user.email)) == 1
    assert ReminderSent.objects.count() == 1
