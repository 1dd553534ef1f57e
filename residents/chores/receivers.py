"""Chores react to stays (``residents.signals``): a resident who moves out of a house, by transfer or discharge,
leaves its rotation from that night on."""

from django.dispatch import receiver

from residents.chores.services import chore_assignments_release
from residents.models import Stay
from residents.signals import stay_discharged, stay_transferred


@receiver(stay_transferred, sender=Stay, dispatch_uid="chores.stay_transferred")
def stay_transferred_release_chores(sender, stay: Stay, on, actor, **kwargs):
    chore_assignments_release(actor=actor, stay=stay, since=on)  # a move within one house keeps them


@receiver(stay_discharged, sender=Stay, dispatch_uid="chores.stay_discharged")
def stay_discharged_release_chores(sender, stay: Stay, on, actor, **kwargs):
    chore_assignments_release(actor=actor, stay=stay, since=on)  # no chores after move-out
