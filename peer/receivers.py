"""What a peer-run house does when a stay changes: a member who leaves leaves their offices."""

from django.dispatch import receiver

from peer.services.governance import officer_terms_end_with_stay
from residents.models import Stay
from residents.signals import stay_discharged, stay_transferred


@receiver(stay_discharged, sender=Stay, dispatch_uid="peer.stay_discharged")
def stay_discharged_ends_offices(sender, stay: Stay, on, **kwargs):
    officer_terms_end_with_stay(resident=stay.resident, house_ids=[stay.house_id], on=on)


@receiver(stay_transferred, sender=Stay, dispatch_uid="peer.stay_transferred")
def stay_transferred_ends_offices(sender, stay: Stay, from_house, on, **kwargs):
    if from_house is not None and from_house.pk != stay.house_id:
        officer_terms_end_with_stay(resident=stay.resident, house_ids=[from_house.pk], on=on)
