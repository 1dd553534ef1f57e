"""Audit entries for changes to a house's rent terms and late-fee rule, written the same by the page and the API."""

from accounts.audit import Action, record

from .models import HouseBillingPolicy
from .selectors.policies import policy_words


def policy_audit(request, policy: HouseBillingPolicy, *, action: str, changed) -> None:
    """Records who set which house's terms, which fields changed, and the terms now in force, in plain words."""
    words = policy_words(policy, request.viewer.organization.currency)
    fields = ", ".join(sorted(changed))
    detail = f"{policy.house.name}: {words}" + (f" (changed: {fields})" if action == Action.UPDATE and fields else "")
    record(
        request=request,
        viewer=request.viewer,
        action=action,
        model=HouseBillingPolicy,
        object_ids=[policy.pk],
        detail=detail,
    )
