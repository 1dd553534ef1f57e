"""Billing reacts to stays and incidents through the signals residents sends; residents never imports billing.

An admission (``stay_admitted``) copies the house's rent terms onto the stay and charges the deposit (a carried-over
resident, admitted with ``billed_from``, is billed from then and charged no deposit). A discharge
(``stay_discharged``) brings the stay's rent up to date at once: it posts the prorated last charge if it is due and
credits nights after move-out that were already charged. The daily rent job does the same again as a safety net (both
are idempotent). An incident whose consequence is a fine charges each resident involved (``services.fines``).
"""

from django.dispatch import receiver

from residents.models import Incident, Stay
from residents.signals import incident_saved, stay_admitted, stay_discharged

from .services.deposits import deposit_charge_at_admission
from .services.fines import incident_fines_sync
from .services.rent import rent_schedule_from_policy, rent_sync_stay


@receiver(stay_admitted, sender=Stay, dispatch_uid="billing.stay_admitted")
def stay_admitted_rent_and_deposit(sender, stay: Stay, billed_from=None, **kwargs):
    if billed_from is None:
        rent_schedule_from_policy(stay=stay)
        deposit_charge_at_admission(stay=stay)
        return
    # A resident carried over from before Hearth: their opening balance holds what they owed up to ``billed_from``,
    # the deposit included, so Hearth bills rent only from then and charges no deposit.
    rent_schedule_from_policy(stay=stay, starts_on=max(stay.move_in, billed_from))


@receiver(stay_discharged, sender=Stay, dispatch_uid="billing.stay_discharged")
def stay_discharged_rent(sender, stay: Stay, **kwargs):
    rent_sync_stay(stay=stay, on=stay.organization.today())


@receiver(incident_saved, sender=Incident, dispatch_uid="billing.incident_saved")
def incident_saved_fines(sender, incident: Incident, actor, **kwargs):
    incident_fines_sync(incident=incident, created_by=actor.user)
