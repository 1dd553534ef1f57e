"""Billing reacts to stays; residents never imports billing.

An admission copies the house's rent terms onto the stay and charges the deposit. A discharge brings the stay's rent
up to date at once: it posts the prorated last charge if it is due and credits nights after move-out that were
already charged. The daily rent job does the same again as a safety net (both are idempotent).
An incident whose consequence is a fine charges each resident involved (``services.fines``).
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from residents.models import Incident, Stay
from residents.signals import incident_saved

from .services.deposits import deposit_charge_at_admission
from .services.fines import incident_fines_sync
from .services.rent import rent_schedule_from_policy, rent_sync_stay


@receiver(post_save, sender=Stay, dispatch_uid="billing.stay_saved")
def stay_saved(sender, instance: Stay, created: bool, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    if created:
        rent_schedule_from_policy(stay=instance)
        deposit_charge_at_admission(stay=instance)
        return
    if instance.move_out is not None and (update_fields is None or "move_out" in update_fields):
        rent_sync_stay(stay=instance, on=instance.organization.today())


@receiver(incident_saved, sender=Incident, dispatch_uid="billing.incident_saved")
def incident_saved_fines(sender, incident: Incident, actor, **kwargs):
    incident_fines_sync(incident=incident, actor=actor)
