from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .invitation_links import invitation_url, max_age
from .models import Membership, User


def send_invitation(*, membership_id: int, base_url: str) -> bool:
    """E-mails an invitee the signed link to accept. The text is the same whether or not the address already has an
    account, and names no one, so the e-mail reveals nothing about the person it is sent to."""
    membership = Membership.objects.select_related("user", "organization").filter(pk=membership_id).first()
    if membership is None or not membership.is_pending:
        return False  # withdrawn or accepted before the e-mail went out
    organization = membership.organization.name
    send_mail(
        subject=f"Invitation to join {organization} on Hearth",
        message=(
            "Hello,\n\n"
            f"{organization} has invited you to Hearth as {membership.get_role_display().lower()}.\n"
            f"To accept, open this link within {max_age().days} days:\n{invitation_url(membership, base_url)}\n\n"
            "Nothing changes until you accept. If you did not expect this, ignore this e-mail."
        ),
        from_email=None,
        recipient_list=[membership.user.email],
    )
    return True


def send_password_reset(*, user_id: int, domain: str, protocol: str) -> bool:
    """The password reset link, built when the e-mail goes out so the one-time token never waits in the queue."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    context = {
        "email": user.email,
        "domain": domain,
        "protocol": protocol,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    subject = "".join(render_to_string("registration/password_reset_subject.txt", context).splitlines())
    send_mail(subject, render_to_string("registration/password_reset_email.html", context), None, [user.email])
    return True
