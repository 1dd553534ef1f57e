"""Reactions inside residents to its own signals (higher apps connect theirs in their own ready())."""

from django.dispatch import receiver

from residents.models import OvernightPass
from residents.signals import pass_returned
from residents.testing.services.drug_tests import test_request_after_pass


@receiver(pass_returned, sender=OvernightPass, dispatch_uid="test-after-pass")
def ask_for_a_test_after_a_pass(sender, pass_, actor, **kwargs):
    """The house's policy may ask for a test of a resident back from an overnight pass (``test_request_after_pass``)."""
    test_request_after_pass(actor=actor, pass_=pass_)
