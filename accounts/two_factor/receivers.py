from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import services


@receiver(user_logged_in, dispatch_uid="two_factor_session_flag")
def remember_whether_a_code_is_due(sender, request, user, **kwargs):
    """Records once, at sign-in, whether this session must pass a code, so no page has to ask the database."""
    session = getattr(request, "session", None)
    if session is not None:
        session[services.SESSION_KEY] = services.has_two_factor(user)
