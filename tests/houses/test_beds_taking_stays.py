"""Which beds an admission or a transfer from night D can take has one answer (issue 15, item 2): in service that
night and every night after (``BedQuerySet.taking_stays_from``). The beds offered on the admission and transfer
forms and the refusal of the admission itself (``houses.selectors.bed_refusal``) read it alike."""

from datetime import date

import pytest

from houses import selectors, services
from houses.models import Bed
from residents.core.selectors.bed_board import free_beds
from residents.core.services.stays import BedUnavailable, stay_admit
from tests.clock import local_moment, module_clock
from tests.factories import take_out_of_service

_clock = module_clock(local_moment(2026, 4, 15))

TONIGHT = date(2026, 4, 15)


@pytest.fixture
def beds(house):
    return list(house.beds.order_by("pk"))


def _offered(viewer):
    return {bed.label for bed in free_beds(viewer=viewer, night=TONIGHT)}


def test_a_bed_with_an_outage_ahead_is_not_offered_to_an_admission(operator, house, beds):
    take_out_of_service(beds[0], date(2026, 4, 20), date(2026, 4, 25), reason="Painting")
    assert "Bed 1" not in _offered(operator)
    assert {"Bed 2", "Bed 3", "Bed 4"} <= _offered(operator)


def test_a_bed_being_retired_is_not_offered_to_an_admission(operator, house, beds):
    services.bed_retire(actor=operator, bed=beds[0], on=date(2026, 5, 1))
    assert "Bed 1" not in _offered(operator)


def test_a_bed_offered_to_an_admission_can_be_admitted_into(operator, house, beds, resident_factory):
    take_out_of_service(beds[0], date(2026, 4, 20), date(2026, 4, 25), reason="Painting")
    services.bed_retire(actor=operator, bed=beds[1], on=date(2026, 5, 1))
    offered = [bed for bed in free_beds(viewer=operator, night=TONIGHT) if bed.house_id == house.pk]
    for bed in offered:
        stay_admit(actor=operator, resident=resident_factory(), bed=bed, on=TONIGHT)
    for bed in beds[:2]:
        with pytest.raises(BedUnavailable):
            stay_admit(actor=operator, resident=resident_factory(), bed=bed, on=TONIGHT)


def test_the_transfer_form_does_not_offer_a_bed_with_an_outage_ahead(page, manager, house, resident_member):
    stay = resident_member.resident.stays.get()
    occupied = stay.bed_assignments.get().bed_id
    painted = house.beds.exclude(pk=occupied).order_by("pk").first()
    take_out_of_service(painted, date(2026, 4, 20), date(2026, 4, 25), reason="Painting")
    form = page(manager).get(f"/dashboard/stays/{stay.pk}/transfer/").context["form"]
    offered = {bed_id for _house, group in form.fields["bed"].choices[1:] for bed_id, _label in group}
    assert painted.pk not in offered
    assert offered == set(house.beds.exclude(pk__in=[occupied, painted.pk]).values_list("pk", flat=True))


def test_the_bed_board_still_shows_a_bed_with_an_outage_ahead_as_in_service_tonight(operator, house, beds):
    take_out_of_service(beds[0], date(2026, 4, 20), date(2026, 4, 25), reason="Painting")
    assert beds[0].in_service_on(TONIGHT)
    assert not beds[0].takes_stays_from(TONIGHT)


@pytest.mark.parametrize(
    "change",
    ["nothing", "outage_tonight", "outage_ahead", "outage_over", "retiring", "not_yet_in_service", "house_closing"],
)
def test_the_refusal_in_words_and_the_query_agree(operator, house, beds, change):
    bed = beds[0]
    if change == "outage_tonight":
        take_out_of_service(bed, date(2026, 4, 10), date(2026, 4, 18))
    elif change == "outage_ahead":
        take_out_of_service(bed, date(2026, 6, 1))
    elif change == "outage_over":
        services.bed_outage_create(actor=operator, bed=bed, reason="Paint", start=date(2026, 4, 1), end=TONIGHT)
    elif change == "retiring":
        services.bed_retire(actor=operator, bed=bed, on=date(2026, 7, 1))
    elif change == "not_yet_in_service":
        bed = services.bed_create(actor=operator, room=bed.room, label="Soon", in_service_from=date(2026, 5, 1))
    elif change == "house_closing":
        services.house_update(actor=operator, house=house, closed_on=date(2026, 7, 1))
    bed = Bed.objects.select_related("room", "house").get(pk=bed.pk)
    taking = Bed.objects.filter(pk=bed.pk).taking_stays_from(TONIGHT).exists()
    assert (selectors.bed_refusal(bed, night=TONIGHT) is None) == taking
    assert bed.takes_stays_from(TONIGHT) == taking
    assert taking == (change in ("nothing", "outage_over"))
