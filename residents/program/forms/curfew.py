"""The sign-out forms' curfew check: a return past tonight's curfew is asked about once before it is accepted."""

from django.utils import timezone

CONFIRM_PAST_CURFEW = "past-curfew"  # the value of the "Sign out anyway" button (name ``confirm``)


def past_curfew(curfew, expected_return_at, data) -> bool:
    """True when the expected return is past tonight's curfew and the person has not yet chosen "Sign out anyway"
    (a second submit with ``confirm=past-curfew``): the form is shown again with a warning first. A return time
    already gone is left for the service to refuse: there is nothing to warn about."""
    if curfew is None or expected_return_at is None or expected_return_at <= max(curfew.deadline, timezone.now()):
        return False
    return data.get("confirm") != CONFIRM_PAST_CURFEW
