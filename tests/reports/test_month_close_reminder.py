"""The month-end job reminds operators to close last month while it is not closed: once a month, however often the
job runs. The job runs on July 1, 2026."""

from datetime import date

import pytest
from django.core import mail

from reports.metrics import Month
from reports.services import month_close, month_end_reports, report_request
from tests.clock import local_moment, module_clock

_clock = module_clock(local_moment(2026, 7, 1, 6))

JULY_1 = date(2026, 7, 1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def run_job(django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            month_end_reports(on=JULY_1)

    return run


def test_the_month_end_job_reminds_operators_to_close_last_month(operator, house, run_job):
    run_job()
    [message] = mail.outbox
    assert message.to == [operator.user.email]
    assert message.subject == "Second Wind: monthly report for June 2026; close June 2026"
    assert "June 2026 is over and not closed yet. No month is closed yet." in message.body
    assert "/dashboard/reports/" in message.body


def test_the_reminder_goes_once_however_often_the_job_runs(operator, house, run_job):
    run_job()
    run_job()
    assert len(mail.outbox) == 1


def test_the_reminder_goes_even_when_last_months_report_was_already_made(operator, organization, house, run_job):
    report_request(actor=operator, organization=organization, month=Month(2026, 6))
    run_job()
    [message] = mail.outbox
    assert message.subject == "Second Wind: close June 2026"
    assert "being prepared" not in message.body


def test_nobody_is_reminded_of_a_month_already_closed(operator, organization, house, run_job):
    month_close(actor=operator, organization=organization, month=Month(2026, 6))
    run_job()
    assert mail.outbox == []


def test_the_reminder_names_the_month_to_close_first_when_the_books_are_behind(operator, organization, house, run_job):
    month_close(actor=operator, organization=organization, month=Month(2026, 4))
    run_job()
    [message] = mail.outbox
    assert "The books are closed through April 2026; close May 2026 first." in message.body
