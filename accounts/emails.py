from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import Membership


def send_invitation(*, membership_id: int, base_url: str) -> None:
    """E-mails a new member a one-time link to choose their password."""
    membership = Membership.objects.select_related("user", "organization").get(pk=membership_id)
    user = membership.user
    link = base_url.rstrip("/") + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    send_mail(
        subject=f"You have been added to {membership.organization.name} on Hearth",
        message=(
            f"Hello {user.get_short_name()},\n\n"
            f"{membership.organization.name} has added you to Hearth as {membership.get_role_display().lower()}.\n"
            f"Choose your password here (the link works once):\n{link}\n\n"
            "If you did not expect this, ignore this e-mail."
        ),
        from_email=None,
        recipient_list=[user.email],
    )
