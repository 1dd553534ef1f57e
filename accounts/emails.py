from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .invitation_links import invitation_url, max_age
from .models import Membership, User


def send_invitation(*, membership_id: int, base_url: str) -> bool:
    """E-mails an invitee the signed link to accept, in the language the inviter chose (else the person's own, for
    an existing account). The text is the same whether or not the address already has an account, and names no
    one, so the e-mail reveals nothing about the person it is sent to."""
    membership = Membership.objects.select_related("user", "organization").filter(pk=membership_id).first()
    if membership is None or not membership.is_pending:
        return False  # withdrawn or accepted before the e-mail went out
    language = membership.invited_language or membership.user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        values = {
            "organization": membership.organization.name,
            "role": str(membership.get_role_display()).lower(),
            "days": max_age().days,
            "link": invitation_url(membership, base_url),
        }
        subject = _("Invitation to join %(organization)s on Hearth") % values
        message = (
            _(
                "Hello,\n\n"
                "%(organization)s has invited you to Hearth as %(role)s.\n"
                "To accept, open this link within %(days)s days:\n%(link)s\n\n"
                "Nothing changes until you accept. If you did not expect this, ignore this e-mail."
            )
            % values
        )
    send_mail(subject=subject, message=message, from_email=None, recipient_list=[membership.user.email])
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
    # In the person's own language: the request may come from anyone, so its language is no guide.
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = "".join(render_to_string("registration/password_reset_subject.txt", context).splitlines())
        body = render_to_string("registration/password_reset_email.html", context)
    send_mail(subject, body, None, [user.email])
    return True
