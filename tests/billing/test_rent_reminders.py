"""Rent reminders by e-mail: N days before rent is due, on the due date if it is unpaid, and when it becomes late;
each once however often the daily job runs, never after the rent is paid, never to a resident who opted out.

Maple House: $900 a month due on the 1st, reminders 3 days ahead, a flat $25 late fee after 5 grace days. The
resident moved in June 1; July's rent is due July 1 (reminder June 28) and late from July 7."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import LateFeeKind, OnlinePayment, ReminderOptOut, ResidentNotice
from billing.services.late_fees import late_fees_assess
from billing.services.online_payments import online_payment_pending
from billing.services.payments import payment_record
from billing.services.rent import rent_post_due
from billing.services.rent_notices import reminders_set, rent_notices_send
from billing.tasks import send_rent_notices
from tests.clock import local_moment
from tests.factories import admit

from .conftest import make_policy

Kind = ResidentNotice.Kind


@pytest.fixture
def policy(house):
    return make_policy(
        house,
        late_fee_kind=LateFeeKind.FLAT,
        late_fee_amount=Decimal("25.00"),
        late_fee_grace_days=5,
        rent_reminder_days=3,
    )


@pytest.fixture
def stay(policy, house):
    stay = admit(house, date(2026, 6, 1))
    rent_post_due(on=date(2026, 6, 1))
    return stay


@pytest.fixture
def paid_june(stay, operator):
    """June's rent is paid, so only July's is in question."""
    payment_record(actor=operator, resident=stay.resident, method="cash", amount="900", received_on=date(2026, 6, 2))
    return stay


def day_run(organization, month: int, day: int, *, rent: bool = True, late_fees: bool = True):
    """A day of the jobs in production order: rent, late fees, then reminders, on that day's clock."""
    on = date(2026, month, day)
    with time_machine.travel(local_moment(2026, month, day, 9), tick=True):
        if rent:
            rent_post_due(on=on, organization=organization)
        if late_fees:
            late_fees_assess(on=on, organization=organization)
        return rent_notices_send(on=on, organization=organization)


def kinds_sent(resident) -> list[str]:
    return sorted(ResidentNotice.objects.filter(resident=resident).values_list("kind", flat=True))


def mail_to(address: str):
    return [message for message in mail.outbox if message.to == [address]]


# N days before


def test_a_resident_is_reminded_the_set_number_of_days_before_rent_is_due(organization, paid_june):
    day_run(organization, 6, 28)
    resident = paid_june.resident
    assert kinds_sent(resident) == [Kind.RENT_UPCOMING]
    [message] = mail_to(resident.email)
    assert message.subject == "Second Wind: Your rent of $900.00 is due on July 1"
    assert f"Hello {resident.legal_first_name}," in message.body
    assert "your rent of $900.00 is due on Wednesday, July 1, 2026" in message.body
    assert "If it is not paid by the end of July 6, a late fee of $25.00 is added." in message.body
    assert "http://127.0.0.1:8000/portal/pay/\n" in message.body  # how to pay (SITE_URL)
    assert "To stop them, go to http://127.0.0.1:8000/portal/pay/reminders/" in message.body
    assert "&amp;" not in message.body


def test_the_upcoming_reminder_goes_once_however_often_the_job_runs(organization, paid_june):
    for _ in range(3):
        day_run(organization, 6, 28)
    with time_machine.travel(local_moment(2026, 6, 28, 18), tick=True):
        send_rent_notices(organization_id=organization.pk)
    assert kinds_sent(paid_june.resident) == [Kind.RENT_UPCOMING]
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("day", [26, 27, 29, 30])
def test_no_upcoming_reminder_goes_on_the_other_days(organization, paid_june, day):
    day_run(organization, 6, day)
    assert kinds_sent(paid_june.resident) == []


def test_the_reminder_days_follow_the_house_setting(organization, paid_june, policy):
    policy.rent_reminder_days = 7
    policy.save()
    day_run(organization, 6, 24)
    assert kinds_sent(paid_june.resident) == [Kind.RENT_UPCOMING]


def test_a_shortened_setting_does_not_remind_twice_for_one_due_date(organization, paid_june, policy):
    day_run(organization, 6, 28)
    policy.rent_reminder_days = 2
    policy.save()
    day_run(organization, 6, 29)
    assert kinds_sent(paid_june.resident) == [Kind.RENT_UPCOMING]


def test_zero_reminder_days_sends_no_advance_reminder(organization, paid_june, policy):
    policy.rent_reminder_days = 0
    policy.save()
    for day in range(20, 31):
        day_run(organization, 6, day)
    assert kinds_sent(paid_june.resident) == []


def test_a_resident_paid_ahead_gets_no_upcoming_reminder(organization, paid_june, operator):
    payment_record(
        actor=operator, resident=paid_june.resident, method="cash", amount="900", received_on=date(2026, 6, 12)
    )
    day_run(organization, 6, 28)
    assert kinds_sent(paid_june.resident) == []


def test_the_upcoming_reminder_mentions_what_is_still_open_from_before(organization, stay):
    day_run(organization, 6, 28)  # June's 900 is unpaid
    [message] = mail_to(stay.resident.email)
    assert "You also have $900.00 still open from before." in message.body


def test_the_upcoming_amount_is_the_stays_own_rent(organization, paid_june, operator):
    from billing.services.rent import rent_schedule_set

    rent_schedule_set(actor=operator, stay=paid_june, amount=Decimal("950.00"), starts_on=date(2026, 7, 1))
    day_run(organization, 6, 28)
    [message] = mail_to(paid_june.resident.email)
    assert message.subject == "Second Wind: Your rent of $950.00 is due on July 1"


# On the due date, and when late


def test_unpaid_rent_brings_one_reminder_on_its_due_date(organization, paid_june):
    day_run(organization, 7, 1)
    day_run(organization, 7, 1)
    assert kinds_sent(paid_june.resident) == [Kind.RENT_DUE]
    [message] = mail_to(paid_june.resident.email)
    assert message.subject == "Second Wind: Your rent of $900.00 is due today"
    assert "due today, Wednesday, July 1, 2026" in message.body


def test_rent_paid_before_the_job_brings_no_due_date_reminder(organization, paid_june, operator):
    with time_machine.travel(local_moment(2026, 7, 1, 8), tick=True):
        rent_post_due(on=date(2026, 7, 1), organization=organization)
        payment_record(
            actor=operator, resident=paid_june.resident, method="cash", amount="900", received_on=date(2026, 7, 1)
        )
    day_run(organization, 7, 1)
    assert kinds_sent(paid_june.resident) == []


def test_a_bank_debit_on_its_way_counts_as_paid(organization, paid_june):
    resident = paid_june.resident
    with time_machine.travel(local_moment(2026, 7, 1, 7), tick=True):
        rent_post_due(on=date(2026, 7, 1), organization=organization)
        op = OnlinePayment.objects.create(
            organization=organization,
            resident=resident,
            stay=paid_june,
            house_id=paid_june.house_id,
            amount=Decimal("900.00"),
            currency="usd",
            checkout_session_id="cs_test_reminder_debit",
        )
        online_payment_pending(online_payment_id=op.pk, on=date(2026, 7, 1), payment_intent_id="pi_test_reminder")
    for day in (1, 7, 8):
        day_run(organization, 7, day)
    assert kinds_sent(resident) == []


def test_late_rent_brings_one_late_notice_the_day_it_becomes_late(organization, paid_june):
    for day in (1, 6, 7, 7, 8, 12):
        day_run(organization, 7, day)
    assert kinds_sent(paid_june.resident) == [Kind.RENT_DUE, Kind.RENT_LATE]
    late = ResidentNotice.objects.get(resident=paid_june.resident, kind=Kind.RENT_LATE)
    assert late.sent_at.date() == date(2026, 7, 7)
    [message] = [m for m in mail_to(paid_june.resident.email) if "late" in m.subject]
    assert message.subject == "Second Wind: Your rent due July 1 is now late"
    assert "a late fee of $25.00 is added to your balance" in message.body


def test_a_job_that_missed_the_late_date_still_sends_the_late_notice_once(organization, paid_june):
    day_run(organization, 7, 1)
    day_run(organization, 7, 9)
    day_run(organization, 7, 10)
    assert kinds_sent(paid_june.resident) == [Kind.RENT_DUE, Kind.RENT_LATE]


def test_rent_paid_in_the_grace_days_brings_no_late_notice(organization, paid_june, operator):
    day_run(organization, 7, 1)
    with time_machine.travel(local_moment(2026, 7, 4), tick=True):
        payment_record(
            actor=operator, resident=paid_june.resident, method="cash", amount="900", received_on=date(2026, 7, 4)
        )
    day_run(organization, 7, 7)
    assert kinds_sent(paid_june.resident) == [Kind.RENT_DUE]


# Who gets them


def test_a_resident_who_opted_out_gets_no_reminders(organization, paid_june):
    reminders_set(resident=paid_june.resident, wanted=False)
    for month, day in [(6, 28), (7, 1), (7, 7)]:
        day_run(organization, month, day)
    assert kinds_sent(paid_june.resident) == []
    assert mail.outbox == []


def test_reminders_come_back_when_turned_on_again(organization, paid_june):
    reminders_set(resident=paid_june.resident, wanted=False)
    reminders_set(resident=paid_june.resident, wanted=True)
    assert not ReminderOptOut.objects.exists()
    day_run(organization, 6, 28)
    assert kinds_sent(paid_june.resident) == [Kind.RENT_UPCOMING]


def test_a_resident_without_an_email_address_is_not_reminded(organization, paid_june):
    paid_june.resident.email = ""
    paid_june.resident.save(update_fields=["email"])
    day_run(organization, 6, 28)
    assert ResidentNotice.objects.count() == 0


def test_a_resident_with_a_portal_login_is_reminded_at_its_address(organization, policy, resident_member):
    resident = resident_member.resident
    resident.email = ""
    resident.save(update_fields=["email"])
    assert resident.stays.get().rent_schedules.exists()  # admitted under the house's rent terms
    day_run(organization, 6, 28)
    assert [m.to for m in mail.outbox] == [[resident_member.user.email]]


def test_a_resident_who_moved_out_is_not_reminded(organization, paid_june):
    from tests.billing.conftest import discharge

    discharge(paid_june, date(2026, 6, 20))
    day_run(organization, 6, 28)
    assert kinds_sent(paid_june.resident) == []


def test_a_send_that_fails_is_tried_again_on_the_next_run(organization, paid_june, monkeypatch):
    from django.core.mail import EmailMessage

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as patched:
        patched.setattr(EmailMessage, "send", refuse)
        assert day_run(organization, 6, 28) == []
    assert ResidentNotice.objects.count() == 0
    day_run(organization, 6, 28)
    assert kinds_sent(paid_june.resident) == [Kind.RENT_UPCOMING]


def test_the_job_costs_the_same_queries_for_any_number_of_residents(organization, house, policy):
    def residents(count):
        for _ in range(count):
            admit(house, date(2026, 6, 1))
        ResidentNotice.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            sent = day_run(organization, 6, 28, rent=False, late_fees=False)
        return len(queries), len(sent)

    few_queries, few_sent = residents(1)
    many_queries, many_sent = residents(3)
    assert (few_sent, many_sent) == (1, 4)
    assert many_queries == few_queries


def test_beat_sends_the_reminders_daily_after_rent_and_late_fees():
    from django.conf import settings

    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["billing-rent-notices"]
    assert entry["task"] == "billing.tasks.send_rent_notices"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({14}, {0})  # after 10:15 and 10:45 UTC
    app.loader.import_default_modules()
    assert {
        "billing.tasks.send_rent_notices",
        "billing.tasks.send_receipt",
        "billing.tasks.assess_held_late_fees",
    } <= set(app.tasks)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("month", "day", "kind"), [(6, 28, Kind.RENT_UPCOMING), (7, 1, Kind.RENT_DUE)])
def test_two_jobs_at_once_send_each_reminder_once(organization, paid_june, month, day, kind):
    import threading

    barrier, errors = threading.Barrier(4), []
    with time_machine.travel(local_moment(2026, month, day, 9), tick=True):
        rent_post_due(on=date(2026, month, day), organization=organization)

        def job():
            try:
                barrier.wait()
                rent_notices_send(on=date(2026, month, day), organization=organization)
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=job) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert kinds_sent(paid_june.resident) == [kind]
    assert len(mail.outbox) == 1
