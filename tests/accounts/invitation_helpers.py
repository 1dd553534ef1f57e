"""Helpers for invitation tests: the link an invitation e-mail carries."""

import re
from urllib.parse import urlsplit

from django.core import mail

LINK = re.compile(r"https?://\S+/accounts/invitations/\S+/")


def invitation_path(message=None) -> str:
    """The path of the accept link in ``message`` (the last e-mail sent, by default)."""
    message = message or mail.outbox[-1]
    return urlsplit(LINK.search(message.body).group(0)).path
