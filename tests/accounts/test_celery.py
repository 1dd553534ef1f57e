import time

import pytest
from celery._state import _set_task_join_will_block
from django.core import mail

from accounts import tasks
from config.celery import app
from tests.factories import MembershipFactory


def test_without_a_broker_a_task_runs_in_process(organization):
    invitation = MembershipFactory(organization=organization, accepted_at=None, is_active=False)
    result = tasks.send_invitation.delay(invitation.pk, "http://testserver/")
    assert result.get() == "sent"
    assert mail.outbox[0].to == [invitation.user.email]


def test_inviting_a_member_emails_a_link_to_accept(api, operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(operator).post("/api/v1/memberships/", {"email": "New@Example.org", "role": "manager"})
    assert response.status_code == 201
    assert mail.outbox[0].to == ["new@example.org"]
    assert "http://testserver/accounts/invitations/" in mail.outbox[0].body


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_executes_a_task_through_redis():
    from celery.contrib.testing.worker import start_worker

    membership = MembershipFactory(accepted_at=None, is_active=False)
    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
            tasks.send_invitation.delay(membership.pk, "http://testserver/")
            deadline = time.monotonic() + 20
            while not mail.outbox and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        app.conf.task_always_eager = True
        # Starting a worker marks the whole process as one where joining a task would block; later tests in this
        # process call .get() on their (eager) tasks.
        _set_task_join_will_block(False)
    assert [message.to for message in mail.outbox] == [[membership.user.email]]
