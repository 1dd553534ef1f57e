"""Vacancies reacts to stays through the signals residents sends (residents never imports vacancies).

A discharge, a move to another bed and a planned move-out set, moved or cleared each sync the stay's openings
(``services.openings.stay_openings_sync``): the bed it leaves within the notice window is recorded as an opening and
offered to the waitlist once committed, and an opening the stay no longer causes is called off. An admission or a
move into a bed fills that bed's openings, so no more offers go out for them. Each runs inside the stay service's
transaction: the opening commits or rolls back with the change.

An application leaving the waitlist (withdrawn, declined, admitted, erased) passes on the beds it was offered or
said yes to: its offers awaiting an answer expire and each opening goes to the next applicant once committed.
"""

from django.dispatch import receiver

from residents.models import Application, BedAssignment, Stay
from residents.signals import (
    application_moved,
    stay_admitted,
    stay_discharged,
    stay_move_out_planned,
    stay_transferred,
)

from .services.offers import offers_release
from .services.openings import openings_fill, stay_openings_sync


def _filled_from(stay: Stay, start):
    # Entered after its first night, it fills the bed's opening from tonight too (a discharge entered late opens it
    # from tonight).
    return max(start, stay.organization.today())


@receiver(stay_admitted, sender=Stay, dispatch_uid="vacancies.stay_admitted")
def stay_admitted_fills_the_bed(sender, stay: Stay, **kwargs):
    for bed_id, start in BedAssignment.objects.filter(stay=stay).values_list("bed_id", "start"):
        openings_fill(bed_id=bed_id, on=_filled_from(stay, start))


@receiver(stay_transferred, sender=Stay, dispatch_uid="vacancies.stay_transferred")
def stay_transferred_opens_the_old_bed(sender, stay: Stay, assignment: BedAssignment, **kwargs):
    openings_fill(bed_id=assignment.bed_id, on=_filled_from(stay, assignment.start))
    stay_openings_sync(stay=stay)


@receiver(stay_discharged, sender=Stay, dispatch_uid="vacancies.stay_discharged")
def stay_discharged_opens_the_bed(sender, stay: Stay, **kwargs):
    stay_openings_sync(stay=stay)


@receiver(stay_move_out_planned, sender=Stay, dispatch_uid="vacancies.stay_move_out_planned")
def stay_move_out_planned_opens_the_bed(sender, stay: Stay, **kwargs):
    stay_openings_sync(stay=stay)


@receiver(application_moved, sender=Application, dispatch_uid="vacancies.application_moved")
def application_leaving_the_waitlist_passes_its_offers_on(sender, application: Application, erased=False, **kwargs):
    if erased or application.status not in Application.WAITING:
        offers_release(application_id=application.pk, erased=erased)
