from celery import shared_task
from celery.signals import worker_ready

from . import emails, queue, throttling


@shared_task
def send_invitation(membership_id: int, base_url: str) -> str:
    sent = emails.send_invitation(membership_id=membership_id, base_url=base_url)
    return "sent" if sent else "skipped: the invitation was withdrawn or already accepted"


@shared_task
def send_password_reset(user_id: int, domain: str, protocol: str) -> str:
    return "sent" if emails.send_password_reset(user_id=user_id, domain=domain, protocol=protocol) else "skipped"


@shared_task(name="accounts.tasks.resend_deferred_tasks")
def resend_deferred_tasks() -> int:
    """Beat, every minute: sends again the tasks the broker could not take (see ``accounts.queue``)."""
    return queue.deferred_tasks_resend()


@shared_task(name="accounts.tasks.prune_sign_in_failures")
def prune_sign_in_failures() -> int:
    """Beat, nightly: forgets failed sign-ins older than a month (``accounts.throttling.FAILURE_LOG_KEPT``)."""
    return throttling.sign_in_failures_prune()


@worker_ready.connect(dispatch_uid="accounts.tasks.resend_on_worker_ready")
def resend_on_worker_ready(sender=None, **kwargs):
    # A worker that starts has just reached the broker: what waited for it goes out now, not at the next beat.
    try:
        queue.deferred_tasks_resend()
    except Exception:  # the worker must start whatever happens here; beat tries again within a minute
        queue.logger.exception("Sending the deferred tasks at worker start failed")
