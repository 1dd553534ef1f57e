"""Reactions inside residents to its own signals (higher apps connect theirs in their own ready())."""

from django.dispatch import receiver

from residents.models import DrugTestPolicy, OvernightPass, TestReason
from residents.signals import pass_returned
from residents.testing.services.drug_tests import test_request_create


@receiver(pass_returned, sender=OvernightPass, dispatch_uid="test-after-pass")
def ask_for_a_test_after_a_pass(sender, pass_, actor, **kwargs):
    """The house's policy may ask for a test of a resident back from an overnight pass, due the day they return."""
    stay = pass_.stay
    policy = DrugTestPolicy.objects.filter(house_id=stay.house_id).first()
    if policy is not None and not policy.test_after_pass:
        return
    returned_on = pass_.returned_at.astimezone(stay.organization.tzinfo).date()
    test_request_create(
        actor=getattr(actor, "user", actor),
        resident=stay.resident,
        reason=TestReason.RETURN_FROM_PASS,
        due_on=max(returned_on, stay.organization.today()),
        note=f"Back from an overnight pass to {pass_.destination}",
    )
