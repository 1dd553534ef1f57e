from celery import shared_task

from . import emails


@shared_task
def send_invitation(membership_id: int, base_url: str) -> str:
    sent = emails.send_invitation(membership_id=membership_id, base_url=base_url)
    return "sent" if sent else "skipped: the invitation was withdrawn or already accepted"


@shared_task
def send_password_reset(user_id: int, domain: str, protocol: str) -> str:
    return "sent" if emails.send_password_reset(user_id=user_id, domain=domain, protocol=protocol) else "skipped"
