"""Redis down: pages keep answering, quickly; work they queue is kept (DeferredTask) and sent once Redis is back."""

import time

import pytest

from accounts.models import DeferredTask
from accounts.queue import DEFERRED_MESSAGE, deferred_tasks_resend, enqueue
from reports.models import Report
from tests.factories import PASSWORD
from tests.forms import FormClient

from .conftest import broker_at, redis_url, waiting_in


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


# A real commit (no test transaction around the request): the task is handed over when the service commits, before
# the page answers, as in production.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("broker_down", "cache_down")
def test_staff_sign_in_and_ask_for_a_report_while_redis_is_down(operator, house):
    client = FormClient()
    response, took = timed(
        lambda: client.submit("/accounts/login/", {"username": operator.user.email, "password": PASSWORD})
    )
    assert response.status_code == 302
    assert took < 3
    response, took = timed(lambda: client.submit("/dashboard/reports/", {"scope": ""}, button="Generate"))
    assert response.status_code == 302
    assert took < 3
    page = client.get(response["Location"]).content.decode()
    assert str(DEFERRED_MESSAGE) in page
    report = Report.objects.get()
    assert report.status == Report.Status.QUEUED
    assert list(DeferredTask.objects.values_list("name", "args")) == [("reports.tasks.generate_report", [report.pk])]


@pytest.mark.usefixtures("broker_down")
def test_a_task_the_broker_refuses_is_kept_in_the_order_it_was_asked_for(organization):
    from accounts.tasks import send_invitation

    first = enqueue(send_invitation, 1, "http://testserver/")
    enqueue(send_invitation, 2, "http://testserver/")
    assert first.deferred
    assert first.message == DEFERRED_MESSAGE
    assert list(DeferredTask.objects.values_list("args", flat=True)) == [
        [1, "http://testserver/"],
        [2, "http://testserver/"],
    ]


@pytest.mark.usefixtures("broker_down")
def test_the_resend_job_keeps_the_tasks_while_the_broker_is_still_down(organization):
    from accounts.tasks import send_invitation

    enqueue(send_invitation, 1, "http://testserver/")
    assert deferred_tasks_resend() == 0
    row = DeferredTask.objects.get()
    assert row.attempts == 1
    assert "Connection refused" in row.last_error


@pytest.mark.redis
def test_the_resend_job_sends_the_kept_tasks_in_order_once_redis_is_back(organization, private_queue):
    from accounts.tasks import send_invitation, send_password_reset

    with broker_at("redis://127.0.0.1:1/0"):
        enqueue(send_invitation, 1, "http://testserver/")
        enqueue(send_password_reset, 2, "testserver", "https")
    with broker_at(redis_url(), queue=private_queue):
        assert deferred_tasks_resend() == 2
    assert not DeferredTask.objects.exists()
    assert waiting_in(private_queue) == ["accounts.tasks.send_invitation", "accounts.tasks.send_password_reset"]


@pytest.mark.usefixtures("cache_down")
def test_a_wrong_password_is_still_refused_while_the_cache_is_down(operator):
    response, took = timed(
        lambda: FormClient().submit("/accounts/login/", {"username": operator.user.email, "password": "guess"})
    )
    assert response.status_code == 200
    assert took < 3
    assert "_auth_user_id" not in FormClient().session


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("broker_down")
def test_an_invitation_made_while_redis_is_down_says_its_email_waits(page, operator, house):
    response, took = timed(
        lambda: page(operator).submit(
            "/dashboard/staff/",
            {"email": "new.manager@example.org", "full_name": "Nia New", "role": "manager", "houses": [house.pk]},
            button="Send invitation",
            follow=True,
        )
    )
    assert response.status_code == 200
    assert took < 3
    assert f"new.manager@example.org is invited; the e-mail is not sent yet. {DEFERRED_MESSAGE}" in (
        response.content.decode()
    )
    assert DeferredTask.objects.get().name == "accounts.tasks.send_invitation"
