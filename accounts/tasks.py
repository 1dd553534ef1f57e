from celery import shared_task

from . import emails


@shared_task
def send_invitation(membership_id: int, base_url: str) -> str:
    emails.send_invitation(membership_id=membership_id, base_url=base_url)
    return "sent"
