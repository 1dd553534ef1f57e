"""The program reacts to stays (``residents.signals``): an admission puts the stay in the organization's lowest
phase from move-in."""

from django.dispatch import receiver

from residents.models import Stay
from residents.program.services.phases import phase_set_initial
from residents.signals import stay_admitted


@receiver(stay_admitted, sender=Stay, dispatch_uid="program.stay_admitted")
def stay_admitted_first_phase(sender, stay: Stay, actor, **kwargs):
    phase_set_initial(actor=actor, stay=stay)
